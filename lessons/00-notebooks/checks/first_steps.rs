use crate::exercise::*;

fn corpus(file: &str) -> std::path::PathBuf {
    clinkit::kernel::crate_dir().join("datasets-synthetic/referrals").join(file)
}

#[test]
fn greets_a_colleague() {
    assert_eq!(greeting("Dr. Jansen"), "Hello, Dr. Jansen!");
}

#[test]
fn counts_the_development_letters() {
    assert_eq!(count_letters(&corpus("dev.jsonl")).unwrap(), 80);
}
