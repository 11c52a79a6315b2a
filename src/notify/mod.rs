//! Notices (docs/PRODUCT.md, "Notices"): rendered and queued in the outbox within the transaction of the
//! change that causes them, then delivered by the dispatcher through a mail transport. Replies
//! and bounces come back in through `inbound`.

pub mod account_mail;
pub mod dispatcher;
pub mod inbound;
pub mod letter_pdf;
pub mod mailer;
pub mod notice;
pub mod outbox;
pub mod private_link;
pub mod reckoning;
pub mod render;
pub mod reply_address;

pub use dispatcher::{DispatchSettings, Dispatcher};
pub use mailer::Mailer;
pub use notice::Notice;
pub use outbox::{enqueue, Outgoing};
pub use reply_address::ReplyAddresses;
