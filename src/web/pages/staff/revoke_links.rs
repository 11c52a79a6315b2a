//! `POST /staff/requests/{tracking_number}/private-links/revoke`: every private link the
//! request has given stops working, and the requester's email gets a new one.

use super::staff_step;
use crate::web::pages::forms::Posted;
use crate::web::pages::session;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let done = "The private links are turned off, and a new one is on its way to the requester.";
    let reason = posted.data.opt("reason");
    let session = posted.session.clone();
    // A requester with no address to send it to: the new link, shown once in the message.
    let handed: std::rc::Rc<std::cell::RefCell<Option<String>>> = Default::default();
    let keep = handed.clone();
    let answer = staff_step(
        posted,
        Ok(reason),
        "links",
        done,
        |app, caller, tn, reason| async move {
            let revoked = app.revoke_links(caller, tn, reason).await?;
            *keep.borrow_mut() = revoked.private_url;
            Ok(revoked.case)
        },
    )
    .await?;
    if let Some(url) = handed.borrow_mut().take() {
        session::set_flash(
            &session,
            &format!(
                "The private links are turned off. This requester gave no email or postal address, so nothing can carry a new link to them: give them this one when they come forward, and only once you are sure it is them. It is not shown again: {url}"
            ),
        );
    }
    Ok(answer)
}
