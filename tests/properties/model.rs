//! The model the workflow property checks against: the people, what a transition carries, and
//! this file's own reading of docs/PRODUCT.md ("The life of a request", "Persons responsible",
//! "Production", "Deadlines"): which moves exist, who may make each, what each must carry, and
//! why a move is refused. It is written out here from the rules, not read from the service's
//! `TABLE`, and it never calls the service's `decide`.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use recordsdesk::app::act::Named;
use recordsdesk::app::{Caller, StaffAccount};
use recordsdesk::db::models::RequestRow;
use recordsdesk::domain::exemptions::{ExemptionCatalogue, Ground, Withheld};
use recordsdesk::domain::ids::StaffId;
use recordsdesk::domain::input::{Email, Responsible, Text};
use recordsdesk::domain::transitions::ReviewOutcome;
use recordsdesk::domain::{RequestKind, Status, TransitionInput};

use Status::*;

pub const CLERK_QUEUE: &str = "city_clerk";
pub const STEWARD_QUEUE: &str = "parks";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Requester,
    Clerk,
    Steward,
    Reviewer,
    /// A second reviewer, so that an appeal one reviewer may not take up (named responsible
    /// for the determination) can still be taken up.
    OtherReviewer,
    Admin,
    /// Holds the private token of somebody else's request.
    Stranger,
}

pub const EVERYONE: [Who; 7] = [
    Who::Requester,
    Who::Clerk,
    Who::Steward,
    Who::Reviewer,
    Who::OtherReviewer,
    Who::Admin,
    Who::Stranger,
];

pub const STAFF: [Who; 5] = [
    Who::Clerk,
    Who::Steward,
    Who::Reviewer,
    Who::OtherReviewer,
    Who::Admin,
];

/// Who a move of the model's table names (docs/PRODUCT.md, the "who" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The assigned clerk or steward; while nobody is assigned, a clerk or steward of the
    /// request's queue.
    Assignee,
    Admin,
    Requester,
    /// Staff of the queue withdrawing for the requester: its assignee, a clerk or steward
    /// serving it, an admin.
    QueueStaff,
    /// A reviewer or admin who neither made the determination nor is named responsible.
    IndependentReviewer,
    /// The reviewer who took the appeal up, still independent.
    TheReviewer,
}

/// What a move must carry (the "must carry" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The determination, or the review decision.
    Decision,
    /// When the records will be available; an API access request's key is offered the moment
    /// it is granted, so its grant needs no date.
    RecordsDue,
    /// A grant in part: each withheld item and each person responsible. A grant in full
    /// withholds nothing.
    PartialDetails,
    Reason,
    /// Each withheld item with its exemption and reason.
    Withholdings,
    Responsible,
    Segregability,
    Search,
    Grounds,
    /// Staff withdrawing for the requester: how the requester asked.
    OnBehalfNote,
    /// The earlier request a duplicate repeats. The model never names one: finding it is
    /// the application's lookup, tested in tests/api/duplicates.rs.
    DuplicateOf,
}

#[derive(Debug, Clone, Copy)]
pub struct Move {
    pub who: &'static [Party],
    pub needs: &'static [Need],
}

/// docs/PRODUCT.md's table of moves, written out: `None` for a move that does not exist.
pub fn table(from: Status, to: Status) -> Option<Move> {
    use Need::*;
    use Party::*;
    const DECIDES: &[Party] = &[Assignee, Party::Admin];
    const WITHDRAWS: &[Party] = &[Party::Requester, QueueStaff];
    let (who, needs): (&'static [Party], &'static [Need]) = match (from, to) {
        (Submitted, UnderReview) => (DECIDES, &[]),
        (Submitted | UnderReview | Appealed, Withdrawn) => (WITHDRAWS, &[OnBehalfNote]),
        (Submitted | UnderReview, Duplicate) => (&[QueueStaff], &[DuplicateOf]),
        (UnderReview, Granted) => (DECIDES, &[Decision, RecordsDue, PartialDetails]),
        (UnderReview, Denied) => (
            DECIDES,
            &[Reason, Withholdings, Need::Responsible, Segregability],
        ),
        (UnderReview, NoRecords) => (DECIDES, &[Search]),
        (Granted | Denied | NoRecords, Appealed) => (&[Party::Requester], &[Grounds]),
        (Appealed, AdministrativeReview) => (&[IndependentReviewer], &[]),
        (AdministrativeReview, Granted) => {
            (&[TheReviewer], &[Decision, RecordsDue, PartialDetails])
        }
        (AdministrativeReview, Denied) => (
            &[TheReviewer],
            &[
                Decision,
                Reason,
                Withholdings,
                Need::Responsible,
                Segregability,
            ],
        ),
        (AdministrativeReview, NoRecords) => (&[TheReviewer], &[Decision, Search]),
        _ => return None,
    };
    Some(Move { who, needs })
}

/// Every (from, to) the model's table has.
pub fn moves() -> Vec<(Status, Status)> {
    Status::ALL
        .iter()
        .flat_map(|&from| Status::ALL.iter().map(move |&to| (from, to)))
        .filter(|&(from, to)| table(from, to).is_some())
        .collect()
}

/// A person named responsible, as a transition names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// Someone without an account, typed by name and title (outside counsel).
    Outsider,
    /// A staff account, by email, its title on file.
    Staff(Who),
    /// An email no staff account has.
    Unknown,
}

pub const OUTSIDER_NAME: &str = "Pat Records";

/// When the records will be available, relative to the moment the move is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Missing,
    /// So many minutes from now: within a year.
    InMinutes(i64),
    /// So many minutes ago.
    MinutesAgo(i64),
    /// More than a year away, by so many days.
    InDays(i64),
}

impl Due {
    pub fn given(self) -> bool {
        self != Due::Missing
    }

    /// Not past and within a year (docs/PRODUCT.md, "Production").
    pub fn acceptable(self) -> bool {
        matches!(self, Due::Missing | Due::InMinutes(_))
    }

    /// The local date and time this stands for, taken `now` (local), to the minute.
    pub fn at(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let at = match self {
            Due::Missing => return None,
            Due::InMinutes(m) => now + Duration::minutes(m),
            Due::MinutesAgo(m) => now - Duration::minutes(m),
            Due::InDays(d) => now + Duration::days(d),
        };
        at.with_second(0).and_then(|at| at.with_nanosecond(0))
    }
}

/// What a transition carries along.
#[derive(Debug, Clone)]
pub struct Carry {
    pub decision: bool,
    pub reason: bool,
    pub grounds: bool,
    pub withheld: bool,
    pub responsible: Vec<Person>,
    pub segregability: bool,
    pub search: bool,
    pub note: bool,
    pub partial: bool,
    pub due: Due,
}

pub const DECISION: &str = "Released in part: the logs are attached. ✓";
pub const REASON: &str = "Investigative records of an open case.";
pub const GROUNDS: &str = "הבקשה נדחתה שלא כדין.";
pub const WITHHELD_ITEM: &str = "Names of minors (شهود)";
pub const SEGREGABILITY: &str = "Every page names the minors; nothing can be separated.";
pub const SEARCH: &str = "Searched the Parks files and the city's email archive, 2024–2026.";
pub const NOTE: &str = "The requester telephoned on 9 March to withdraw.";

impl Carry {
    /// Everything a move may carry, with a date within a year.
    pub fn full(partial: bool, withheld: bool, responsible: Vec<Person>) -> Carry {
        Carry {
            decision: true,
            reason: true,
            grounds: true,
            withheld,
            responsible,
            segregability: true,
            search: true,
            note: true,
            partial,
            due: Due::InMinutes(3 * 24 * 60),
        }
    }

    /// The input as the service takes it; the persons responsible go separately (`named`).
    pub fn input(&self, now_local: NaiveDateTime) -> TransitionInput {
        let text = |on: bool, s: &str| on.then(|| Text::multiline(s, 1000).unwrap());
        TransitionInput {
            decision: text(self.decision, DECISION),
            partial: self.partial,
            withheld: if self.withheld {
                vec![withheld_item()]
            } else {
                vec![]
            },
            responsible: vec![],
            reason: text(self.reason, REASON),
            segregability: text(self.segregability, SEGREGABILITY),
            search: text(self.search, SEARCH),
            records_due_at: self.due.at(now_local),
            grounds: text(self.grounds, GROUNDS),
            note: text(self.note, NOTE),
            duplicate_of: None,
            referred_to: None,
        }
    }

    /// The persons responsible as a transition names them.
    pub fn named(&self, cast: &Cast) -> Vec<Named> {
        self.responsible
            .iter()
            .map(|person| match person {
                Person::Outsider => {
                    Named::Person(Responsible::parse(OUTSIDER_NAME, "Outside counsel").unwrap())
                }
                Person::Staff(who) => Named::Staff {
                    email: Email::parse(&cast.staff(*who).expect("staff").email).unwrap(),
                    title: None,
                },
                Person::Unknown => Named::Staff {
                    email: Email::parse("nobody@concord.example").unwrap(),
                    title: None,
                },
            })
            .collect()
    }

    fn has(&self, need: Need, who: Who, row: &RequestRow) -> bool {
        let kind = row.kind;
        match need {
            Need::Decision => self.decision,
            // An API access request's key is offered the moment it is granted: no date. A
            // review upholding a grant in part keeps the date the requester was given.
            Need::RecordsDue => {
                self.due.given()
                    || kind == RequestKind::ApiAccess
                    || self.upholds_grant_in_part(row)
            }
            Need::PartialDetails => {
                if self.partial {
                    self.withheld && !self.responsible.is_empty()
                } else {
                    !self.withheld
                }
            }
            Need::Reason => self.reason,
            Need::Withholdings => self.withheld,
            Need::Responsible => !self.responsible.is_empty(),
            Need::Segregability => self.segregability,
            // A no-records answer withholds nothing.
            Need::Search => self.search && !self.withheld,
            Need::Grounds => self.grounds,
            Need::OnBehalfNote => who == Who::Requester || self.note,
            Need::DuplicateOf => false,
        }
    }

    /// A review keeping a grant in part as it was.
    pub fn upholds_grant_in_part(&self, row: &RequestRow) -> bool {
        row.status == AdministrativeReview && row.partial != 0 && self.partial
    }

    /// The fields a move missing `need` is refused over.
    fn missing_fields(&self, need: Need, who: Who, row: &RequestRow) -> Vec<&'static str> {
        if self.has(need, who, row) {
            return vec![];
        }
        match need {
            Need::Decision => vec!["decision"],
            Need::RecordsDue => vec!["records_due_at"],
            Need::PartialDetails if !self.partial => vec!["withheld"],
            Need::PartialDetails => {
                let mut fields = vec![];
                if !self.withheld {
                    fields.push("withheld");
                }
                if self.responsible.is_empty() {
                    fields.push("responsible");
                }
                fields
            }
            Need::Reason => vec!["reason"],
            Need::Withholdings => vec!["withheld"],
            Need::Responsible => vec!["responsible"],
            Need::Segregability => vec!["segregability"],
            Need::Search if !self.search => vec!["search"],
            Need::Search => vec!["withheld"],
            Need::Grounds => vec!["grounds"],
            Need::OnBehalfNote => vec!["note"],
            Need::DuplicateOf => vec!["duplicate_of"],
        }
    }
}

pub fn withheld_item() -> Withheld {
    let catalogue = ExemptionCatalogue::seeded();
    let entry = catalogue
        .find("7927.705")
        .expect("the seeded catalogue has §7927.705");
    Withheld {
        item: WITHHELD_ITEM.into(),
        ground: Ground::from_entry(entry),
        reason: "Their identities are confidential under Welf. & Inst. Code §827.".into(),
        justification: None,
    }
}

/// Why the model refuses a move. A refused move may have several reasons; the service must
/// give one of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// The caller said a version that is not the current one.
    Stale,
    /// The caller may not see the request at all (answered as not found).
    Unseen,
    /// A field given is wrong whatever the move: an email of no staff account, or a records
    /// date past or more than a year away.
    BadField(String),
    /// No such move from this state.
    NoSuchMove,
    /// The move exists, but not for this caller.
    NotTheirs,
    /// A reviewer or admin who would take or decide the appeal but made the determination
    /// under appeal or is named responsible for it (separation of duties).
    Answers,
    /// A decision made on review cannot be appealed.
    Final,
    /// A grant in full withholds nothing, so there is nothing to appeal.
    NothingWithheld,
    /// The appeal window has closed.
    WindowClosed,
    /// The move lacks what it must carry.
    Missing(BTreeSet<&'static str>),
}

impl Refusal {
    /// A short name for the tally.
    pub fn label(&self) -> &'static str {
        match self {
            Refusal::Stale => "stale",
            Refusal::Unseen => "unseen",
            Refusal::BadField(_) => "bad_field",
            Refusal::NoSuchMove => "no_such_move",
            Refusal::NotTheirs => "not_theirs",
            Refusal::Answers => "answers_for_determination",
            Refusal::Final => "final",
            Refusal::NothingWithheld => "nothing_withheld",
            Refusal::WindowClosed => "window_closed",
            Refusal::Missing(_) => "missing",
        }
    }
}

/// The model's reading of what a review decided about the determination appealed, each as
/// (outcome, partial): the same outcome is upheld; more granted (a grant in full, or a grant
/// of what was refused) is overturned; anything else granting no more is revised.
pub fn review_outcome(appealed: (Status, bool), decided: (Status, bool)) -> ReviewOutcome {
    if appealed == decided {
        return ReviewOutcome::Upheld;
    }
    let grants_more = match decided {
        (Granted, false) => true,
        (Granted, true) => matches!(appealed.0, Denied | NoRecords),
        _ => false,
    };
    if grants_more {
        ReviewOutcome::Overturned
    } else {
        ReviewOutcome::Revised
    }
}

/// The people, the request under test's token and a stranger's.
pub struct Cast {
    pub clerk: StaffAccount,
    pub steward: StaffAccount,
    pub reviewer: StaffAccount,
    pub other_reviewer: StaffAccount,
    pub admin: StaffAccount,
    pub stranger_token: String,
}

impl Cast {
    pub fn staff(&self, who: Who) -> Option<&StaffAccount> {
        match who {
            Who::Clerk => Some(&self.clerk),
            Who::Steward => Some(&self.steward),
            Who::Reviewer => Some(&self.reviewer),
            Who::OtherReviewer => Some(&self.other_reviewer),
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

    /// Whom the request's page is shown to at all: the requester, the Clerk's office,
    /// reviewers and admins; a steward only what is routed to their queue or assigned to them.
    pub fn sees(&self, who: Who, row: &RequestRow) -> bool {
        match who {
            Who::Requester | Who::Clerk | Who::Reviewer | Who::OtherReviewer | Who::Admin => true,
            Who::Steward => row.assignee_id == Some(self.steward.id) || row.queue == STEWARD_QUEUE,
            Who::Stranger => false,
        }
    }

    /// Whether a clerk or steward serves the queue (admins serve every queue).
    fn serves(&self, who: Who, queue: &str) -> bool {
        match who {
            Who::Clerk => queue == CLERK_QUEUE,
            Who::Steward => queue == STEWARD_QUEUE,
            Who::Admin => true,
            _ => false,
        }
    }

    /// Made the determination standing, or is named responsible for it.
    fn answers_for_determination(&self, who: Who, row: &RequestRow) -> bool {
        let Some(id) = self.id(who) else {
            return false;
        };
        row.determined_by == Some(id) || row.responsible_ids.0.contains(&id)
    }

    /// The model's reading of each party.
    pub fn is_party(&self, party: Party, who: Who, row: &RequestRow) -> bool {
        let id = self.id(who);
        let clerk_or_steward = matches!(who, Who::Clerk | Who::Steward);
        let reviews = matches!(who, Who::Reviewer | Who::OtherReviewer | Who::Admin)
            && !self.answers_for_determination(who, row);
        match party {
            Party::Requester => who == Who::Requester,
            Party::Admin => who == Who::Admin,
            Party::Assignee => {
                clerk_or_steward
                    && match row.assignee_id {
                        Some(assignee) => Some(assignee) == id,
                        None => self.serves(who, &row.queue),
                    }
            }
            Party::QueueStaff => {
                who == Who::Admin
                    || (clerk_or_steward && (row.assignee_id == id || self.serves(who, &row.queue)))
            }
            Party::IndependentReviewer => reviews,
            Party::TheReviewer => reviews && row.reviewer_id == id,
        }
    }

    /// Every reason the model has to refuse `who` moving the request in `row` to `to`
    /// carrying `carry`, on `today`; none when the move is allowed.
    pub fn refusals(
        &self,
        who: Who,
        row: &RequestRow,
        to: Status,
        carry: &Carry,
        fresh: bool,
        today: NaiveDate,
    ) -> Vec<Refusal> {
        let mut why = vec![];
        if !self.sees(who, row) {
            // Nothing else is told to whom the request is not shown.
            return vec![Refusal::Unseen];
        }
        if !fresh {
            why.push(Refusal::Stale);
        }
        let from = row.status;
        // Whether the move is theirs to make now comes first: what a move carries is looked
        // at only for those whose move it is, so that nobody learns anything from it.
        let Some(rule) = table(from, to) else {
            why.push(Refusal::NoSuchMove);
            return why;
        };
        if !rule.who.iter().any(|&p| self.is_party(p, who, row)) {
            let reviewing = rule.who.contains(&Party::IndependentReviewer)
                || rule.who.contains(&Party::TheReviewer);
            let would_review = matches!(who, Who::Reviewer | Who::OtherReviewer | Who::Admin)
                && (!rule.who.contains(&Party::TheReviewer) || row.reviewer_id == self.id(who));
            why.push(
                if reviewing && would_review && self.answers_for_determination(who, row) {
                    Refusal::Answers
                } else {
                    Refusal::NotTheirs
                },
            );
            return why;
        }
        if to == Appealed {
            let refused = why.len();
            if row.decision_final != 0 {
                why.push(Refusal::Final);
            }
            if from == Granted && row.partial == 0 {
                why.push(Refusal::NothingWithheld);
            }
            if row.appeal_deadline.is_some_and(|last| today > last) {
                why.push(Refusal::WindowClosed);
            }
            if why.len() > refused {
                return why;
            }
        }
        // Then what it carries: fields wrong whatever the move, and what this move lacks.
        for (i, person) in carry.responsible.iter().enumerate() {
            if *person == Person::Unknown {
                why.push(Refusal::BadField(format!("responsible[{i}].staff")));
            }
        }
        // Only a grant reads the records' date.
        if to == Granted && !carry.due.acceptable() {
            why.push(Refusal::BadField("records_due_at".into()));
        }
        let missing: BTreeSet<&'static str> = rule
            .needs
            .iter()
            .flat_map(|&need| carry.missing_fields(need, who, row))
            .collect();
        if !missing.is_empty() {
            why.push(Refusal::Missing(missing));
        }
        why
    }

    /// The states `who` may move the request to now, whatever they carry: what a refusal
    /// lists as the moves the caller may make instead.
    pub fn may_make_now(&self, who: Who, row: &RequestRow, today: NaiveDate) -> Vec<Status> {
        let carry = Carry::full(true, true, vec![Person::Outsider]);
        Status::ALL
            .into_iter()
            .filter(|&to| {
                self.refusals(who, row, to, &carry, true, today)
                    .iter()
                    .all(|r| matches!(r, Refusal::Missing(_) | Refusal::BadField(_)))
            })
            .collect()
    }

    /// The assigned clerk or steward, or an admin: who records production.
    pub fn may_manage(&self, who: Who, row: &RequestRow) -> bool {
        self.is_party(Party::Assignee, who, row) || self.is_party(Party::Admin, who, row)
    }

    /// A grant's records not yet produced, and someone who manages the request to say they
    /// were.
    pub fn may_produce(&self, who: Who, row: &RequestRow) -> bool {
        self.sees(who, row)
            && self.may_manage(who, row)
            && row.status == Granted
            && row.produced_at.is_none()
    }

    /// Who signs an extension with no designees configured: the queue's clerks and the admins.
    pub fn signs_extensions(&self, who: Who, row: &RequestRow) -> bool {
        match who {
            Who::Clerk => row.queue == CLERK_QUEUE,
            Who::Admin => true,
            _ => false,
        }
    }
}
