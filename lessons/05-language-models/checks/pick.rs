use crate::exercise::*;

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn greedy_takes_the_most_likely() {
    assert_eq!(greedy(&[0.2, 0.5, 0.3]), 1);
    assert_eq!(greedy(&[0.4, 0.2, 0.4]), 0);
}

#[test]
fn top_k_keeps_the_k_most_likely_and_scales_them() {
    let kept = top_k(&[0.2, 0.5, 0.3], 2);
    assert_eq!(kept.len(), 2);
    assert_eq!((kept[0].0, kept[1].0), (1, 2));
    assert!(
        close(kept[0].1, 0.625) && close(kept[1].1, 0.375),
        "{kept:?}"
    );
}

#[test]
fn draw_follows_the_line_from_0_to_1() {
    let candidates = [(1, 0.625), (2, 0.375)];
    assert_eq!(draw(&candidates, 0.3), 1);
    assert_eq!(draw(&candidates, 0.7), 2);
    assert_eq!(draw(&candidates, 0.0), 1);
}
