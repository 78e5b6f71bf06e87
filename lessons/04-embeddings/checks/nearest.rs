use crate::exercise::*;

fn passages() -> Vec<Vec<f32>> {
    vec![vec![0.6, 0.8], vec![1.0, 0.0], vec![0.0, 1.0]]
}

#[test]
fn the_two_nearest_best_first() {
    assert_eq!(
        nearest(&[1.0, 0.0], &passages(), 2),
        vec![(1, 1.0), (0, 0.6)]
    );
    assert_eq!(nearest(&[0.0, 1.0], &passages(), 1), vec![(2, 1.0)]);
}

#[test]
fn asking_for_more_than_there_are_gives_all() {
    let all = nearest(&[1.0, 0.0], &passages(), 10);
    let numbers: Vec<usize> = all.iter().map(|hit| hit.0).collect();
    assert_eq!(numbers, vec![1, 0, 2]);
    assert!(nearest(&[1.0, 0.0], &[], 3).is_empty());
}
