use crate::exercise::*;

#[test]
fn on_a_tie_the_smaller_number_comes_first() {
    let passages = vec![
        vec![0.0, 1.0],
        vec![0.8, 0.6],
        vec![0.8, 0.6],
        vec![1.0, 0.0],
    ];
    assert_eq!(
        nearest(&[1.0, 0.0], &passages, 3),
        vec![(3, 1.0), (1, 0.8), (2, 0.8)]
    );
}

#[test]
fn negative_scores_rank_last_and_k_zero_gives_nothing() {
    let passages = vec![vec![-1.0, 0.0], vec![0.0, 1.0], vec![0.6, 0.8]];
    let hits = nearest(&[1.0, 0.0], &passages, 3);
    assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![2, 1, 0]);
    assert!(nearest(&[1.0, 0.0], &passages, 0).is_empty());
}

#[test]
fn many_passages_best_first() {
    let passages: Vec<Vec<f32>> = (0..500)
        .map(|i| {
            let angle = i as f32 * 0.01;
            vec![angle.cos(), angle.sin()]
        })
        .collect();
    let query = [0.5f32.cos(), 0.5f32.sin()];
    let hits = nearest(&query, &passages, 3);
    assert_eq!(hits[0].0, 50);
    assert_eq!(hits.len(), 3);
    assert!(hits[0].1 >= hits[1].1 && hits[1].1 >= hits[2].1);
    assert!([49, 51].contains(&hits[1].0) && [49, 51].contains(&hits[2].0));
}
