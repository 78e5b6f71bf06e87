use crate::exercise::*;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn only_the_direction_counts_not_the_length() {
    assert!(close(
        cosine(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap(),
        1.0
    ));
    let short = cosine(&[1.0, 1.0], &[1.0, 0.0]).unwrap();
    let long = cosine(&[10.0, 10.0], &[0.5, 0.0]).unwrap();
    assert!(close(short, long) && close(short, std::f32::consts::FRAC_1_SQRT_2));
}

#[test]
fn for_unit_vectors_cosine_is_the_dot_product() {
    // 384 numbers, as in an all-MiniLM-L6-v2 embedding, scaled to length 1.
    let raw_a: Vec<f32> = (0..384).map(|i| ((i * 7) % 13) as f32 - 6.0).collect();
    let raw_b: Vec<f32> = (0..384).map(|i| ((i * 5) % 11) as f32 - 5.0).collect();
    let a: Vec<f32> = raw_a.iter().map(|x| x / length(&raw_a)).collect();
    let b: Vec<f32> = raw_b.iter().map(|x| x / length(&raw_b)).collect();
    assert!(close(length(&a), 1.0));
    assert!(close(cosine(&a, &b).unwrap(), dot(&a, &b)));
    assert!(close(cosine(&raw_a, &raw_b).unwrap(), dot(&a, &b)));
}

#[test]
fn an_error_says_what_is_wrong() {
    let message = cosine(&[], &[]).unwrap_err();
    assert!(!message.is_empty());
    assert!(cosine(&[1.0], &[0.0]).is_err());
}
