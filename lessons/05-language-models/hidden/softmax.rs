use crate::exercise::*;

#[test]
fn huge_scores_do_not_overflow() {
    let p = softmax(&[1000.0, 999.0, -1000.0], 1.0).unwrap();
    assert!(p.iter().all(|x| x.is_finite()), "{p:?}");
    assert!((p[0] - 0.731).abs() < 1e-3 && p[2] < 1e-6, "{p:?}");
    assert!(softmax(&[], 1.0).unwrap().is_empty());
}

#[test]
fn the_same_as_clinkit_log_softmax() {
    let logits: Vec<f32> = (0..50)
        .map(|i| ((i * 37) % 11) as f32 * 0.7 - 3.0)
        .collect();
    let ours = softmax(&logits, 1.0).unwrap();
    let clinkit = clinkit::llm::sample::log_softmax(&logits);
    for (p, logp) in ours.iter().zip(&clinkit) {
        assert!((p - logp.exp()).abs() < 1e-5, "{p} against {}", logp.exp());
    }
    assert!((ours.iter().sum::<f32>() - 1.0).abs() < 1e-4);
}

#[test]
fn temperature_keeps_the_ranking() {
    let logits = [0.3, 2.5, -1.0, 1.1];
    for temperature in [0.2, 0.7, 1.0, 1.5, 3.0] {
        let p = softmax(&logits, temperature).unwrap();
        assert!(
            p[1] > p[3] && p[3] > p[0] && p[0] > p[2],
            "{temperature}: {p:?}"
        );
    }
    let cold = softmax(&logits, 0.2).unwrap()[1];
    let hot = softmax(&logits, 3.0).unwrap()[1];
    assert!(cold > 0.99 && hot < 0.5, "{cold} {hot}");
}
