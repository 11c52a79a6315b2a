//! Row ids, each a type of its own, so a request's id is never passed where a document's is
//! wanted. They are stored as BIGINT (`db/types.rs`) and written in JSON as plain numbers.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A request (the row behind a tracking number).
    RequestId;
    /// The person who filed a request.
    RequesterId;
    /// A staff account.
    StaffId;
    /// A response document: a file or a link.
    DocumentId;
    /// A message on a request.
    MessageId;
    /// A queued notice.
    OutboxId;
    /// An API key offered with a granted api_access request.
    ApiKeyId;
    /// A file the requester sent with a message.
    RequesterFileId;
}
