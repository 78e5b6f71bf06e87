//! Pairing gold items with predicted items, each used at most once.
//!
//! When a letter lists three medications and the model lists three, which predicted one
//! goes with which gold one? We look for the largest set of pairs that "match" (by
//! whatever rule the field uses) in which no item is used twice. Counting is then easy:
//! pairs are true positives, gold items left over are false negatives, predicted items
//! left over are false positives.

/// The largest one-to-one pairing of `n_gold` gold items with `n_pred` predicted items,
/// where `fits(g, p)` says whether gold item `g` may pair with predicted item `p`.
/// Returns `(gold index, predicted index)` pairs, sorted by gold index.
///
/// This is *maximum bipartite matching* (Kuhn's augmenting-path algorithm): it tries
/// each gold item in turn and, when its candidates are taken, checks whether an earlier
/// gold item can move to another candidate to make room. A plain "first come, first
/// served" pass can give fewer pairs than possible, as in this example:
///
/// ```
/// use clinkit::eval::max_matching;
/// // Gold item 0 fits predictions 0 and 1; gold item 1 fits only prediction 0.
/// let fits = |g: usize, p: usize| matches!((g, p), (0, 0) | (0, 1) | (1, 0));
/// assert_eq!(max_matching(2, 2, fits), vec![(0, 1), (1, 0)]);
/// ```
pub fn max_matching(
    n_gold: usize,
    n_pred: usize,
    fits: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    let candidates: Vec<Vec<usize>> = (0..n_gold)
        .map(|g| (0..n_pred).filter(|&p| fits(g, p)).collect())
        .collect();
    let mut owner_of_pred: Vec<Option<usize>> = vec![None; n_pred];
    for gold in 0..n_gold {
        let mut visited = vec![false; n_pred];
        try_assign(gold, &candidates, &mut owner_of_pred, &mut visited);
    }
    let mut pairs: Vec<(usize, usize)> = owner_of_pred
        .iter()
        .enumerate()
        .filter_map(|(pred, owner)| owner.map(|gold| (gold, pred)))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Finds a prediction for `gold`, moving earlier gold items to other predictions if
/// that makes room (one augmenting path).
fn try_assign(
    gold: usize,
    candidates: &[Vec<usize>],
    owner_of_pred: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for &pred in &candidates[gold] {
        if visited[pred] {
            continue;
        }
        visited[pred] = true;
        let free = match owner_of_pred[pred] {
            None => true,
            Some(other) => try_assign(other, candidates, owner_of_pred, visited),
        };
        if free {
            owner_of_pred[pred] = Some(gold);
            return true;
        }
    }
    false
}

/// What is left after matching: which gold items were missed and which predictions had
/// no partner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// `(gold index, predicted index)` pairs.
    pub pairs: Vec<(usize, usize)>,
    /// Gold items without a partner (false negatives).
    pub missed: Vec<usize>,
    /// Predicted items without a partner (false positives).
    pub spurious: Vec<usize>,
}

impl Matching {
    /// Matches with [`max_matching`] and lists the leftovers.
    ///
    /// ```
    /// use clinkit::eval::Matching;
    /// let gold = ["aspirin", "metoprolol"];
    /// let pred = ["metoprolol", "furosemide"];
    /// let m = Matching::new(gold.len(), pred.len(), |g, p| gold[g] == pred[p]);
    /// assert_eq!(m.pairs, vec![(1, 0)]);
    /// assert_eq!(m.missed, vec![0]);   // aspirin
    /// assert_eq!(m.spurious, vec![1]); // furosemide
    /// assert_eq!(m.counts(), clinkit::eval::Counts::new(1, 1, 1));
    /// ```
    pub fn new(n_gold: usize, n_pred: usize, fits: impl Fn(usize, usize) -> bool) -> Self {
        let pairs = max_matching(n_gold, n_pred, fits);
        let missed = (0..n_gold)
            .filter(|g| !pairs.iter().any(|(pg, _)| pg == g))
            .collect();
        let spurious = (0..n_pred)
            .filter(|p| !pairs.iter().any(|(_, pp)| pp == p))
            .collect();
        Matching {
            pairs,
            missed,
            spurious,
        }
    }

    /// True positives, false positives, false negatives.
    pub fn counts(&self) -> super::Counts {
        super::Counts::new(self.pairs.len(), self.spurious.len(), self.missed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_would_fail_here_but_matching_finds_all_pairs() {
        // g0 fits p0,p1,p2; g1 fits p0,p1; g2 fits p0.
        let fits = |g: usize, p: usize| p + g <= 2;
        assert_eq!(max_matching(3, 3, fits), vec![(0, 2), (1, 1), (2, 0)]);
    }

    #[test]
    fn duplicates_pair_once() {
        let gold = ["a", "a"];
        let pred = ["a"];
        let m = Matching::new(2, 1, |g, p| gold[g] == pred[p]);
        assert_eq!(m.counts(), crate::eval::Counts::new(1, 0, 1));
    }

    #[test]
    fn empty_sides() {
        assert!(max_matching(0, 3, |_, _| true).is_empty());
        let m = Matching::new(2, 0, |_, _| true);
        assert_eq!(m.missed, vec![0, 1]);
    }
}
