use crate::exercise::*;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn probabilities_add_up_to_one_and_keep_the_order() {
    let p = softmax(&[2.0, 0.0], 1.0).unwrap();
    assert!(close(p[0], 0.881) && close(p[1], 0.119), "{p:?}");
    let even = softmax(&[1.5, 1.5, 1.5, 1.5], 1.0).unwrap();
    assert!(even.iter().all(|&x| close(x, 0.25)), "{even:?}");
}

#[test]
fn a_higher_temperature_flattens_a_lower_one_sharpens() {
    let flat = softmax(&[2.0, 0.0], 2.0).unwrap();
    assert!(close(flat[0], 0.731), "{flat:?}");
    let sharp = softmax(&[2.0, 0.0], 0.5).unwrap();
    assert!(close(sharp[0], 0.982), "{sharp:?}");
}

#[test]
fn temperature_zero_is_an_error() {
    assert!(softmax(&[1.0, 2.0], 0.0).is_err());
    assert!(softmax(&[1.0, 2.0], -1.0).is_err());
}
