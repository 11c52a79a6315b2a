//! Words the seed adds to each clone's description, so that searches over a seeded history hit
//! a known share of it (docs/PERFORMANCE.md, "Search"): clone n names place `n mod 97` and
//! topic `n mod 101`, so each word is in about 1 % of requests, and a place with a topic
//! (97 and 101 being prime to each other) in about 0.01 %: some 100 of a million.

pub const PLACES: u64 = 97;
pub const TOPICS: u64 = 101;

const PLACE_HEADS: [&str; 10] = [
    "bel", "cor", "dan", "fen", "gal", "hol", "kes", "lor", "mar", "nor",
];
const PLACE_TAILS: [&str; 10] = [
    "ford", "wood", "vale", "ton", "more", "ridge", "crest", "field", "brook", "mont",
];
const TOPIC_HEADS: [&str; 11] = [
    "ash", "bry", "cyn", "dov", "eld", "fyr", "gwy", "hax", "ilm", "jyn", "kyr",
];
const TOPIC_TAILS: [&str; 10] = [
    "ex", "ium", "ola", "ade", "ine", "ora", "ust", "ane", "ello", "ith",
];

/// The `i`th place word (0 ≤ i < `PLACES`), like "belford".
pub fn place(i: u64) -> String {
    let i = (i % PLACES) as usize;
    format!("{}{}", PLACE_HEADS[i / 10], PLACE_TAILS[i % 10])
}

/// The `i`th topic word (0 ≤ i < `TOPICS`), like "ashex".
pub fn topic(i: u64) -> String {
    let i = (i % TOPICS) as usize;
    format!("{}{}", TOPIC_HEADS[i / 10], TOPIC_TAILS[i % 10])
}

/// What clone `n`'s description ends with.
pub fn sentence(n: u64) -> String {
    format!(" Location: {} Street; topic: {}.", place(n), topic(n))
}

/// The email address of a seeded clone whose model gave one: its own, so that finding a
/// requester by email finds their request, not every clone of a model.
pub fn email_of(tracking_number: &str) -> String {
    format!("{}@example.org", tracking_number.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_distinct_and_a_single_word() {
        let mut all: Vec<String> = (0..PLACES)
            .map(place)
            .chain((0..TOPICS).map(topic))
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
        assert!(all
            .iter()
            .all(|w| crate::domain::search::words(w) == [w.clone()]));
    }
}
