//! The model the workflow property checks against: the people, what a transition carries, and
//! this file's own reading of who each party of the transition table is. It reads the table's
//! rows (`TABLE`) as data but decides parties without calling the service's `decide`.

use recordsdesk::app::{Caller, StaffAccount};
use recordsdesk::db::models::RequestRow;
use recordsdesk::domain::ids::StaffId;
use recordsdesk::domain::input::{parse_citation, Responsible, Text};
use recordsdesk::domain::transitions::{Party, Requirement, TABLE};
use recordsdesk::domain::{Status, TransitionInput};

pub const STEWARD_QUEUE: &str = "parks";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Requester,
    Clerk,
    Steward,
    Reviewer,
    Admin,
    /// Holds the private token of somebody else's request.
    Stranger,
}

pub const EVERYONE: [Who; 6] = [
    Who::Requester,
    Who::Clerk,
    Who::Steward,
    Who::Reviewer,
    Who::Admin,
    Who::Stranger,
];

/// What a transition carries along.
#[derive(Debug, Clone, Copy)]
pub struct Carry {
    pub decision: bool,
    pub reason: bool,
    pub grounds: bool,
    pub withheld: bool,
    pub legal_basis: bool,
    pub responsible: bool,
    pub partial: bool,
}

impl Carry {
    pub const FULL: Carry = Carry {
        decision: true,
        reason: true,
        grounds: true,
        withheld: true,
        legal_basis: true,
        responsible: true,
        partial: false,
    };

    pub fn input(self) -> TransitionInput {
        let text = |on: bool, s: &str| on.then(|| Text::multiline(s, 1000).unwrap());
        TransitionInput {
            decision: text(self.decision, "Released in full: the logs are attached. ✓"),
            partial: self.partial,
            withheld: text(self.withheld, "Names of minors (شهود) are redacted."),
            legal_basis: if self.legal_basis {
                vec![parse_citation("Gov. Code §7927.705").unwrap()]
            } else {
                vec![]
            },
            responsible: if self.responsible {
                vec![Responsible::parse("Pat Records", "Deputy City Clerk").unwrap()]
            } else {
                vec![]
            },
            reason: text(self.reason, "Investigative records of an open case."),
            grounds: text(self.grounds, "הבקשה נדחתה שלא כדין."),
        }
    }

    /// Whether this carries what `requirement` asks for (docs/PRODUCT.md, "must carry").
    pub fn meets(self, requirement: Requirement) -> bool {
        match requirement {
            Requirement::Decision => self.decision,
            Requirement::PartialDetails => !self.partial || (self.withheld && self.legal_basis),
            Requirement::Reason => self.reason,
            Requirement::LegalBasis => self.legal_basis,
            Requirement::Responsible => self.responsible,
            Requirement::Grounds => self.grounds,
        }
    }
}

/// The people, the request under test's token and a stranger's.
pub struct Cast {
    pub clerk: StaffAccount,
    pub steward: StaffAccount,
    pub reviewer: StaffAccount,
    pub admin: StaffAccount,
    pub stranger_token: String,
}

impl Cast {
    pub fn staff(&self, who: Who) -> Option<&StaffAccount> {
        match who {
            Who::Clerk => Some(&self.clerk),
            Who::Steward => Some(&self.steward),
            Who::Reviewer => Some(&self.reviewer),
            Who::Admin => Some(&self.admin),
            Who::Requester | Who::Stranger => None,
        }
    }

    pub fn id(&self, who: Who) -> Option<StaffId> {
        self.staff(who).map(|s| s.id)
    }

    pub fn caller(&self, who: Who, token: &str) -> Caller {
        match (who, self.staff(who)) {
            (_, Some(account)) => Caller::Staff(account.clone()),
            (Who::Stranger, None) => Caller::Requester {
                token: self.stranger_token.clone(),
            },
            _ => Caller::Requester {
                token: token.to_string(),
            },
        }
    }

    /// Whom the request's page is shown to at all.
    pub fn sees(&self, who: Who, row: &RequestRow) -> bool {
        match who {
            Who::Requester | Who::Clerk | Who::Reviewer | Who::Admin => true,
            Who::Steward => row.assignee_id == Some(self.steward.id) || row.queue == STEWARD_QUEUE,
            Who::Stranger => false,
        }
    }

    /// The model's reading of each party of the table.
    pub fn is_party(&self, party: Party, who: Who, row: &RequestRow) -> bool {
        let id = self.id(who);
        let serves = |queue: &str| match who {
            Who::Clerk => queue == "city_clerk",
            Who::Steward => queue == STEWARD_QUEUE,
            _ => false,
        };
        match party {
            Party::Requester => who == Who::Requester,
            Party::Admin => who == Who::Admin,
            Party::Assignee => {
                matches!(who, Who::Clerk | Who::Steward)
                    && match row.assignee_id {
                        Some(assignee) => Some(assignee) == id,
                        None => serves(&row.queue),
                    }
            }
            Party::IndependentReviewer => {
                matches!(who, Who::Reviewer | Who::Admin) && row.denied_by != id
            }
            Party::TheReviewer => {
                matches!(who, Who::Reviewer | Who::Admin) && row.reviewer_id == id
            }
        }
    }

    /// Whether the model lets `who` move the request to `to` carrying `carry`.
    pub fn may_move(&self, who: Who, row: &RequestRow, to: Status, carry: Carry) -> bool {
        let from = row.status;
        let Some(rule) = TABLE.iter().find(|r| r.from == from && r.to == to) else {
            return false;
        };
        let final_denial = from == Status::Denied && row.denial_final != 0;
        self.sees(who, row)
            && rule.who.iter().any(|&p| self.is_party(p, who, row))
            && !final_denial
            && rule.requires.iter().all(|&r| carry.meets(r))
    }

    pub fn may_manage(&self, who: Who, row: &RequestRow) -> bool {
        self.is_party(Party::Assignee, who, row) || self.is_party(Party::Admin, who, row)
    }
}
