//! The from-scratch BPE: round trips on random bytes and strings, the pre-split pattern
//! against the original GPT patterns, training on the synthetic corpus, save and load.

use std::path::Path;

use clinkit::tokenize::bpe::{Bpe, SplitPattern, TrainOptions, GPT2_PATTERN, GPT4_PATTERN};

/// A small seeded random generator (xorshift64*), so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// A string of characters that stress tokenizers: letters, digits, accents,
    /// punctuation, every kind of whitespace, emoji, other scripts.
    fn tricky_string(&mut self, max_chars: usize) -> String {
        const ALPHABET: &[&str] = &[
            "a", "e", "n", "g", "B", "N", "P", "0", "1", "2", "5", "d", " ", " ", "  ", "\t", "\n",
            "\r\n", ".", ",", "-", "/", "'", "'s", "ë", "é", "ï", "ö", "ß", "µ", "²", "€", "🫀",
            "👍🏽", "❤️", "中", "ж", "\u{a0}", "\u{200d}", "’", "<", ">", "%",
        ];
        let len = self.below(max_chars + 1);
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len())])
            .collect()
    }
}

fn corpus() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets-synthetic/referrals/dev.jsonl");
    let letters = clinkit::data::read_jsonl(&path).unwrap();
    letters
        .iter()
        .take(20)
        .map(|letter| letter.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn trained() -> Vec<Bpe> {
    let corpus = corpus();
    let with_pattern = TrainOptions::new(400)
        .with_pattern(GPT4_PATTERN)
        .with_special_tokens(&["<|endoftext|>"]);
    let without_pattern = TrainOptions::new(330);
    vec![
        Bpe::train(&corpus, &with_pattern).unwrap(),
        Bpe::train(&corpus[..4000], &without_pattern).unwrap(),
        Bpe::train(&corpus, &TrainOptions::new(300).with_pattern(GPT2_PATTERN)).unwrap(),
    ]
}

#[test]
fn every_byte_string_survives_encode_then_decode() {
    let mut rng = Rng(0x5eed_0001);
    for bpe in trained() {
        for _ in 0..300 {
            let bytes = rng.bytes(64);
            let ids = bpe.encode_bytes(&bytes);
            assert_eq!(bpe.decode_bytes(&ids), bytes, "ids {ids:?}");
        }
    }
}

#[test]
fn every_string_survives_encode_then_decode() {
    let mut rng = Rng(0x5eed_0002);
    for bpe in trained() {
        for _ in 0..300 {
            let text = rng.tricky_string(40);
            let ids = bpe.encode(&text);
            assert_eq!(bpe.decode(&ids), text);
            assert_eq!(bpe.trace(&text).final_ids(), bpe.encode_ordinary(&text));
            let tokens = bpe.tokens(&text);
            assert_eq!(tokens.ids(), ids);
        }
    }
}

#[test]
fn special_tokens_survive_and_can_be_read_as_text() {
    let bpe = &trained()[0];
    let text = "Geen diabetes.<|endoftext|>Wel AF.";
    let ids = bpe.encode(text);
    assert_eq!(ids.iter().filter(|&&id| id == 399).count(), 1);
    assert_eq!(bpe.decode(&ids), text);
    assert!(!bpe.encode_ordinary(text).contains(&399));
}

#[test]
fn the_pre_split_equals_the_original_gpt_patterns_with_look_ahead() {
    let mut rng = Rng(0x5eed_0003);
    for source in [GPT2_PATTERN, GPT4_PATTERN] {
        let ours = SplitPattern::new(source).unwrap();
        let original = fancy_regex::Regex::new(source).unwrap();
        for _ in 0..2000 {
            let text = rng.tricky_string(30);
            let expected: Vec<&str> = original
                .find_iter(&text)
                .map(|found| found.unwrap().as_str())
                .collect();
            assert_eq!(ours.split_str(&text), expected, "text {text:?}");
        }
    }
}

#[test]
fn training_compresses_the_corpus_and_is_repeatable() {
    let corpus = corpus();
    let options = TrainOptions::new(400).with_pattern(GPT4_PATTERN);
    let training = Bpe::train_traced(&corpus, &options).unwrap();
    assert_eq!(training.steps.len(), 144);
    assert_eq!(training.bpe, Bpe::train(&corpus, &options).unwrap());
    let ids = training.bpe.encode(&corpus);
    let ratio = corpus.len() as f64 / ids.len() as f64;
    assert!(ratio > 1.4, "only {ratio:.2} bytes per token");
    // The most frequent pair can only get rarer: a new token is never more frequent
    // than the pair it was made of, and merging only removes other pairs.
    let counts: Vec<usize> = training.steps.iter().map(|step| step.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts.iter().all(|&count| count >= 2));
}

#[test]
fn saved_then_loaded_tokenizers_encode_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_0004);
    for (i, bpe) in trained().into_iter().enumerate() {
        let path = dir.path().join(format!("bpe-{i}.txt"));
        bpe.save(&path).unwrap();
        let loaded = Bpe::load(&path).unwrap();
        assert_eq!(loaded, bpe);
        for _ in 0..50 {
            let text = rng.tricky_string(30);
            assert_eq!(loaded.encode(&text), bpe.encode(&text));
        }
    }
}

#[test]
fn a_damaged_file_is_refused_with_its_name_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.bpe");
    std::fs::write(&path, "clinkit-bpe 1\npattern none\nmerge 104 nope\n").unwrap();
    let error = Bpe::load(&path).unwrap_err().to_string();
    assert!(error.contains("broken.bpe:3:"), "{error}");
}
