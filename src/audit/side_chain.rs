//! Checking a chain kept in a table of its own (the mail chain, the administration chain):
//! each event's hash from its predecessor's, the numbers without a gap, and the event an
//! anchor holds still there as it was. Hashed like a request's chain, under the chain's name.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::chain::{self, Actor, GENESIS_HASH};
use crate::db::mail::ChainEventRow;

/// The event to append after `head` (the chain's last number and hash, none when it is
/// empty): numbered, its content serialised through a Value (so keys come out sorted as a
/// request's events' do) and hashed under the chain's name.
pub fn next_event(
    name: &str,
    head: Option<(i64, String)>,
    at: NaiveDateTime,
    actor: &Actor,
    action: &str,
    event: &impl Serialize,
) -> ChainEventRow {
    let (seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    let seq = seq + 1;
    let actor = actor.label();
    let value = serde_json::to_value(event).expect("a chain event always serialises");
    let content = serde_json::to_string(&value).expect("JSON values always serialise");
    let line = chain::canonical(name, seq, at, &actor, action, &content);
    let hash = chain::hash(&prev_hash, &line);
    ChainEventRow {
        seq,
        at,
        actor,
        action: action.to_string(),
        content,
        prev_hash,
        hash,
    }
}

/// The anchored event must still be in the chain with the hash the anchor holds.
pub fn check_anchor(name: &str, events: &[ChainEventRow], seq: i64, hash: &str) -> Option<String> {
    let at = usize::try_from(seq - 1).ok().and_then(|i| events.get(i));
    match at {
        None => Some(format!(
            "{name} chain: the anchor holds it at event {seq}, but it ends at event {}: events the anchor covers were removed",
            events.len()
        )),
        Some(event) if event.hash != hash => Some(format!(
            "{name} chain: the anchor holds event {seq} with another hash: the chain up to it was rewritten"
        )),
        Some(_) => None,
    }
}

/// What does not hold in the chain `name`, one line each.
pub fn check(name: &str, events: &[ChainEventRow]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut prev = chain::GENESIS_HASH.to_string();
    for (n, event) in events.iter().enumerate() {
        let expected_seq = n as i64 + 1;
        if event.seq != expected_seq {
            problems.push(format!(
                "{name} chain: event {expected_seq} is missing (the next is {})",
                event.seq
            ));
            return problems;
        }
        if event.prev_hash != prev {
            problems.push(format!(
                "{name} chain: event {} does not follow event {}",
                event.seq,
                event.seq - 1
            ));
        }
        let line = chain::canonical(
            name,
            event.seq,
            event.at,
            &event.actor,
            &event.action,
            &event.content,
        );
        if chain::hash(&event.prev_hash, &line) != event.hash {
            problems.push(format!(
                "{name} chain: event {} was altered after it was written",
                event.seq
            ));
        }
        prev = event.hash.clone();
    }
    problems
}
