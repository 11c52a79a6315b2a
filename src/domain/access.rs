//! Who is acting: staff roles, queue membership and which requests a staff member may see.

use serde::{Deserialize, Serialize};

pub use super::ids::StaffId;
use super::routing::CLERK_QUEUE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Steward,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Clerk, Role::Steward, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Steward => "steward",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Clerks, stewards and admins work requests; reviewers only decide appeals.
    pub fn takes_assignments(self) -> bool {
        match self {
            Role::Clerk | Role::Steward | Role::Admin => true,
            Role::Reviewer => false,
        }
    }
}

/// A staff member as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub role: Role,
    /// Queue name of their department (see [`queue_name`]), if any.
    pub queue: Option<String>,
}

/// The party performing an action on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Whoever holds the request's private access token.
    Requester,
    Staff(StaffMember),
}

/// Queue names are slugs of department names, so "Public Works" and "public works" are one queue.
pub fn queue_name(department: &str) -> String {
    let mut slug = String::with_capacity(department.len());
    for c in department.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    while slug.ends_with('_') {
        slug.pop();
    }
    slug
}

impl StaffMember {
    /// Clerks work the City Clerk queue; stewards their department's; admins every queue.
    pub fn serves_queue(&self, queue: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Clerk => queue == CLERK_QUEUE || self.queue.as_deref() == Some(queue),
            Role::Steward => self.queue.as_deref() == Some(queue),
            Role::Reviewer => false,
        }
    }

    /// Whether `serves_queue` holds for some queue: every role but a reviewer and a steward
    /// without a department.
    pub fn serves_any_queue(&self) -> bool {
        match self.role {
            Role::Admin | Role::Clerk => true,
            Role::Steward => self.queue.is_some(),
            Role::Reviewer => false,
        }
    }

    /// Stewards see only what is routed to them; the Clerk's office, reviewers and admins see all.
    pub fn can_see(&self, queue: &str, assignee: Option<StaffId>) -> bool {
        match self.role {
            Role::Clerk | Role::Reviewer | Role::Admin => true,
            Role::Steward => assignee == Some(self.id) || self.serves_queue(queue),
        }
    }

    /// Assigning work is the Clerk's and the admins' job, and an assignee may hand a case on.
    pub fn can_assign(&self, assignee: Option<StaffId>) -> bool {
        matches!(self.role, Role::Clerk | Role::Admin) || assignee == Some(self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(id: i64, role: Role, queue: Option<&str>) -> StaffMember {
        StaffMember {
            id: StaffId(id),
            role,
            queue: queue.map(str::to_string),
        }
    }

    #[test]
    fn queue_names_are_slugs_of_department_names() {
        assert_eq!(queue_name("Public Works"), "public_works");
        assert_eq!(queue_name("  Police -- Records  "), "police_records");
        assert_eq!(queue_name("City Clerk"), CLERK_QUEUE);
    }

    #[test]
    fn a_steward_sees_only_their_queue_and_their_assignments() {
        let steward = staff(7, Role::Steward, Some("public_works"));
        assert!(steward.can_see("public_works", None));
        assert!(steward.can_see(CLERK_QUEUE, Some(StaffId(7))));
        assert!(!steward.can_see(CLERK_QUEUE, None));
        assert!(!steward.can_see("police", Some(StaffId(8))));
    }

    #[test]
    fn clerks_reviewers_and_admins_see_every_request() {
        for role in [Role::Clerk, Role::Reviewer, Role::Admin] {
            assert!(staff(1, role, None).can_see("police", Some(StaffId(9))));
        }
    }

    #[test]
    fn a_member_serves_any_queue_when_serves_queue_holds_for_one() {
        let queues = [CLERK_QUEUE, "police", "public_works"];
        for role in [Role::Clerk, Role::Steward, Role::Reviewer, Role::Admin] {
            for own in [None, Some("police"), Some(CLERK_QUEUE)] {
                let member = staff(1, role, own);
                let some = queues.iter().any(|q| member.serves_queue(q));
                assert_eq!(member.serves_any_queue(), some, "{member:?}");
            }
        }
    }

    #[test]
    fn clerks_serve_the_clerk_queue_and_reviewers_serve_none() {
        assert!(staff(1, Role::Clerk, None).serves_queue(CLERK_QUEUE));
        assert!(!staff(1, Role::Clerk, None).serves_queue("police"));
        assert!(!staff(1, Role::Reviewer, None).serves_queue(CLERK_QUEUE));
        assert!(staff(1, Role::Admin, None).serves_queue("police"));
    }

    #[test]
    fn only_clerks_admins_and_the_assignee_can_assign() {
        assert!(staff(1, Role::Clerk, None).can_assign(None));
        assert!(staff(1, Role::Admin, None).can_assign(Some(StaffId(2))));
        assert!(staff(2, Role::Steward, None).can_assign(Some(StaffId(2))));
        assert!(!staff(3, Role::Steward, None).can_assign(Some(StaffId(2))));
        assert!(!staff(3, Role::Reviewer, None).can_assign(None));
    }
}
