//! What admins change while the service runs that every due date reads (docs/PRODUCT.md,
//! "Holidays"): the days changed over the computed calendar. Kept in memory as last read from
//! the database, read again after each change this process commits and on each reminders pass
//! (so another instance's change is seen within that interval). The department directory is
//! read from the database where it is used: routing, extension signers, the dataset page.

use std::sync::{Arc, RwLock};

use crate::db::{admin as admin_db, Conn};
use crate::domain::DeadlinePolicy;

#[derive(Debug)]
pub struct Live {
    /// The policy as configured: the rules' calendar and the configuration's changes.
    configured: DeadlinePolicy,
    policy: RwLock<Arc<DeadlinePolicy>>,
}

impl Live {
    pub fn new(configured: DeadlinePolicy) -> Live {
        Live {
            policy: RwLock::new(Arc::new(configured.clone())),
            configured,
        }
    }

    /// The deadline policy with the calendar as admins left it.
    pub fn policy(&self) -> Arc<DeadlinePolicy> {
        self.policy
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the changes again from the database.
    pub fn reload(&self, conn: &mut Conn) -> diesel::QueryResult<()> {
        let changes = admin_db::holiday_changes(conn)?;
        let mut policy = self.configured.clone();
        policy.calendar = policy.calendar.with_changes(
            changes
                .into_iter()
                .map(|c| (c.day, (c.closed != 0).then(|| c.name.unwrap_or_default()))),
        );
        *self.policy.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(policy);
        Ok(())
    }
}
