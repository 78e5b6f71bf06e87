use crate::exercise::*;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn dot_product_and_length() {
    assert!(close(dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]), 32.0));
    assert!(close(length(&[3.0, 4.0]), 5.0));
    assert!(close(length(&[0.0, 0.0]), 0.0));
}

#[test]
fn same_direction_right_angle_and_opposite() {
    assert!(close(cosine(&[3.0, 4.0], &[4.0, 3.0]).unwrap(), 0.96));
    assert!(close(cosine(&[1.0, 0.0], &[0.0, 1.0]).unwrap(), 0.0));
    assert!(close(cosine(&[1.0, 0.0], &[-2.0, 0.0]).unwrap(), -1.0));
}

#[test]
fn vectors_that_cannot_be_compared_are_an_error() {
    assert!(cosine(&[1.0, 2.0], &[1.0, 2.0, 3.0]).is_err());
    assert!(cosine(&[0.0, 0.0], &[1.0, 2.0]).is_err());
}
