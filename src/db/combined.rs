//! Several PostgreSQL statements sent as one: each but the last becomes a data-modifying
//! `WITH` part of the last. One round trip and one implicit transaction instead of a BEGIN, a
//! round trip per statement and a COMMIT: a filing on PostgreSQL is bound by round trips
//! (docs/PERFORMANCE.md).
//!
//! The parts run on one snapshot and none sees another's rows, so no part may depend on what
//! another writes; foreign keys are checked at the end of the whole statement, so a child row
//! may be inserted beside its parent when both ids are known beforehand.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};

#[derive(Default)]
pub struct Combined<'a> {
    parts: Vec<Box<dyn QueryFragment<Pg> + 'a>>,
}

impl<'a> Combined<'a> {
    pub fn new() -> Self {
        Combined::default()
    }

    pub fn push(&mut self, statement: impl QueryFragment<Pg> + 'a) {
        self.parts.push(Box::new(statement));
    }
}

impl QueryFragment<Pg> for Combined<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let Some((last, before)) = self.parts.split_last() else {
            return Err(diesel::result::Error::QueryBuilderError(
                "a combined statement needs at least one part".into(),
            ));
        };
        for (n, part) in before.iter().enumerate() {
            out.push_sql(if n == 0 { "WITH " } else { ", " });
            out.push_sql(&format!("part{n} AS ("));
            part.walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        if !before.is_empty() {
            out.push_sql(" ");
        }
        last.walk_ast(out.reborrow())
    }
}

/// The SQL depends on the parts, so statements are cached by their text: a handful of shapes
/// per connection (a filing's depends on how many notices it queues).
impl QueryId for Combined<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C> RunQueryDsl<C> for Combined<'_> {}
