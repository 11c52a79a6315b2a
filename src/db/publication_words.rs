//! The reading room's index (docs/PRODUCT.md, "Reading room"): each published request's
//! words, on each database's own full-text engine as the requests' index is (`db::search`):
//! an FTS5 table on SQLite, a `tsvector` with a GIN index on PostgreSQL. Written when an item
//! is published or its documents' text is read, removed when it is withdrawn.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::Conn;
use crate::domain::ids::RequestId;

/// The most bytes an item's entry may take, each distinct word counted with what a
/// `tsvector` keeps beside it (`PER_WORD`): PostgreSQL refuses a `tsvector` over 1 MB, and
/// a search needs each word once, not every repetition of it.
pub const MAX_BYTES: usize = 900_000;
/// A `tsvector` entry's bytes beyond the word: its offset and length, and one position.
const PER_WORD: usize = 8;

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Keeps `words` (already folded) as the item's whole entry, each distinct word once, up to
/// [`MAX_BYTES`].
pub fn put(conn: &mut Conn, request_id: RequestId, words: &str) -> QueryResult<()> {
    let words = distinct(words);
    match conn {
        Conn::Postgres(c) => diesel::sql_query(
            "INSERT INTO publication_words (request_id, words) VALUES ($1, to_tsvector('simple', $2)) \
             ON CONFLICT (request_id) DO UPDATE SET words = excluded.words",
        )
        .bind::<BigInt, _>(request_id.0)
        .bind::<Text, _>(&words)
        .execute(c)
        .map(drop),
        Conn::Sqlite(c) => {
            diesel::sql_query("DELETE FROM publication_words WHERE rowid = ?")
                .bind::<BigInt, _>(request_id.0)
                .execute(c)?;
            diesel::sql_query("INSERT INTO publication_words (rowid, words) VALUES (?, ?)")
                .bind::<BigInt, _>(request_id.0)
                .bind::<Text, _>(&words)
                .execute(c)
                .map(drop)
        }
    }
}

/// Takes the item out of the index.
pub fn remove(conn: &mut Conn, request_id: RequestId) -> QueryResult<()> {
    match conn {
        Conn::Postgres(c) => {
            diesel::sql_query("DELETE FROM publication_words WHERE request_id = $1")
                .bind::<BigInt, _>(request_id.0)
                .execute(c)
                .map(drop)
        }
        Conn::Sqlite(c) => diesel::sql_query("DELETE FROM publication_words WHERE rowid = ?")
            .bind::<BigInt, _>(request_id.0)
            .execute(c)
            .map(drop),
    }
}

/// The items whose entry holds every one of `words` (folded, at least one), each as a word
/// or the start of one ("permit" finds "permits").
pub fn matching(conn: &mut Conn, words: &[String]) -> QueryResult<Vec<RequestId>> {
    // Folded words hold letters and digits only, so nothing in them is either engine's
    // syntax: they cannot close the quotes or add an operator.
    let hits: Vec<Hit> = match conn {
        Conn::Postgres(c) => {
            let prefixes: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            diesel::sql_query(
                "SELECT request_id AS id FROM publication_words \
                 WHERE words @@ to_tsquery('simple', $1)",
            )
            .bind::<Text, _>(prefixes.join(" & "))
            .load(c)?
        }
        Conn::Sqlite(c) => {
            let prefixes: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
            diesel::sql_query(
                "SELECT rowid AS id FROM publication_words WHERE publication_words MATCH ?",
            )
            .bind::<Text, _>(prefixes.join(" "))
            .load(c)?
        }
    };
    Ok(hits.into_iter().map(|h| RequestId(h.id)).collect())
}

/// Each word once, in the order first met, up to [`MAX_BYTES`].
fn distinct(words: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    let mut size = 0;
    for word in words.split_whitespace() {
        if seen.contains(word) {
            continue;
        }
        size += word.len() + PER_WORD;
        if size > MAX_BYTES {
            break;
        }
        if seen.insert(word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_kept_once_and_the_entry_is_bounded() {
        assert_eq!(distinct("park  road park\nbudget road"), "park road budget");
        let many: String = (0..200_000).map(|i| format!("w{i} ")).collect();
        let kept = distinct(&many);
        let cost: usize = kept.split(' ').map(|w| w.len() + PER_WORD).sum();
        assert!(cost <= MAX_BYTES, "{cost}");
        assert!(kept.starts_with("w0 w1 w2"));
    }

    #[test]
    fn an_entry_keeps_every_word_that_fits_and_none_past_the_bound() {
        // Seven letters each, so fifteen bytes with what a tsvector keeps beside a word:
        // exactly MAX_BYTES / 15 words fit, and the next one does not.
        let words: Vec<String> = (0..MAX_BYTES / 15 + 1)
            .map(|i| format!("a{i:06}"))
            .collect();
        let kept = distinct(&words.join(" "));
        assert_eq!(kept.split(' ').count(), MAX_BYTES / (7 + PER_WORD));
    }
}
