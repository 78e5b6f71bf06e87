use crate::exercise::*;

#[test]
fn works_on_the_real_development_set() {
    let path = clinkit::kernel::crate_dir().join("datasets-synthetic/referrals/dev.jsonl");
    let letters = clinkit::data::read_jsonl(&path).unwrap();
    let first = &letters[0];
    assert_eq!(language_of(&letters, &first.id), Some(first.lang.code().to_string()));
}
