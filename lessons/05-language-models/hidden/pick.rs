use crate::exercise::*;

#[test]
fn top_one_is_greedy_and_ties_keep_the_smaller_index() {
    let p = [0.1, 0.3, 0.3, 0.25, 0.05];
    assert_eq!(top_k(&p, 1), vec![(1, 1.0)]);
    assert_eq!(greedy(&p), 1);
    let three: Vec<usize> = top_k(&p, 3).iter().map(|c| c.0).collect();
    assert_eq!(three, vec![1, 2, 3]);
    assert_eq!(top_k(&p, 10).len(), 5);
}

#[test]
fn greedy_agrees_with_clinkit() {
    let p = [0.05, 0.1, 0.02, 0.4, 0.4, 0.03];
    assert_eq!(greedy(&p) as u32, clinkit::llm::sample::argmax(&p));
}

#[test]
fn draws_follow_the_probabilities() {
    let candidates = top_k(&[0.1, 0.6, 0.3], 3);
    let mut counts = [0; 3];
    for step in 0..1000 {
        let random = (step as f32 + 0.5) / 1000.0;
        counts[draw(&candidates, random)] += 1;
    }
    assert_eq!(counts, [100, 600, 300]);
    assert_eq!(draw(&candidates, 0.999_999_9), 0);
}
