//! Each notice as one typed letter: a template struct over the step that caused it, with its
//! subject beside its body (`templates/notices/<kind>.txt`). `Notice::for_step` says which
//! notices a step causes; `app::notices` says who receives each; `render` lays a letter out
//! as an email.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::config::OfficeSettings;
use crate::domain::deadlines::Circumstance;
use crate::domain::notices::{Audience, NoticeKind};
use crate::domain::step::{
    Assistance as AssistanceStep, Author, Extended as ExtendedStep, FeeAnswered as FeeAnswer,
    FeeEstimated, FeeRecorded, KeyReplacementAsked, Message, Moved, NoticeBounced, Produced,
    Production, Released, Reopened, Rerouted, Step, Submitted,
};
use crate::domain::transitions::ReviewOutcome;
use crate::domain::{RequestKind, Status};
use crate::wording::{say, word, Arg, Language, Words};

use super::reckoning;
use super::render::{long_date_in, long_time, size_in};

/// What every notice about a request can say: the request as it stands after the step, who
/// filed it, and the office that writes.
#[derive(Debug, Clone)]
pub struct About<'a> {
    pub tracking_number: &'a str,
    pub kind: RequestKind,
    pub status: Status,
    pub description: &'a str,
    pub dataset_id: Option<&'a str>,
    pub received_on: NaiveDate,
    pub determination_due: NaiveDate,
    pub due_on: NaiveDate,
    /// The case page, for staff notices.
    pub staff_url: String,
    pub office: &'a OfficeSettings,
    /// Who filed the request ("Dear …"); none when they gave no name.
    pub requester_name: Option<&'a str>,
    /// The requester's private link, its token a mark the dispatcher fills when it sends
    /// (`private_link`); staff letters never show it.
    pub private_url: String,
    /// The city's time zone, for the times letters give.
    pub tz: Tz,
    /// The language of the requester's letters; staff letters are in English.
    pub language: Language,
}

impl<'a> About<'a> {
    /// "public records request", as the letters name a request.
    pub fn kind_label(&self) -> String {
        word(
            self.language,
            match self.kind {
                RequestKind::PublicRecords => "letter-kind-public-records",
                RequestKind::DatasetAccess => "letter-kind-dataset-access",
                RequestKind::ApiAccess => "letter-kind-api-access",
                RequestKind::Complaint => "letter-kind-complaint",
            },
        )
    }

    /// "Request" or "Complaint", as a staff letter's first word names the case.
    pub fn staff_case_word(&self) -> &'static str {
        match self.kind {
            RequestKind::Complaint => "Complaint",
            _ => "Request",
        }
    }

    /// The same request as staff letters tell it: staff read English.
    pub fn in_english(&self) -> About<'a> {
        About {
            language: Language::English,
            ..self.clone()
        }
    }

    /// The kind as staff letters name it: staff read English.
    pub fn staff_kind_label(&self) -> String {
        About {
            language: Language::English,
            ..self.clone()
        }
        .kind_label()
    }

    /// The message `id` in the requester's language.
    fn say(&self, id: &str) -> String {
        word(self.language, id)
    }

    /// The message `id`, which names the case by its kind (a request, a complaint).
    fn say_of_kind(&self, id: &str) -> String {
        say(
            self.language,
            id,
            &[("kind", Arg::Text(self.kind.as_str()))],
        )
    }

    /// "Dear Jane Q. Public," or, to a requester who gave no name, "Hello,".
    pub fn greeting(&self) -> String {
        match self.requester_name {
            Some(name) => self
                .t()
                .say("letter-greeting")
                .with("name", name)
                .to_string(),
            None => self.t().w("letter-greeting-no-name"),
        }
    }

    /// The wording of a letter to the requester, in their language: `{{ n.t().w("…") }}`.
    pub fn t(&self) -> Words {
        Words(self.language)
    }

    pub fn status_label(&self) -> String {
        self.status.as_str().replace('_', " ")
    }

    pub fn received(&self) -> String {
        long_date_in(self.language, self.received_on)
    }

    pub fn determination_due_words(&self) -> String {
        long_date_in(self.language, self.determination_due)
    }

    pub fn due_on_words(&self) -> String {
        long_date_in(self.language, self.due_on)
    }

    pub fn dataset(&self) -> &str {
        self.dataset_id.unwrap_or("")
    }

    /// A stored time as the city reads it: "4:00 PM on Friday, March 20, 2026".
    pub fn local(&self, at_utc: &NaiveDateTime) -> String {
        long_time(
            self.language,
            at_utc.and_utc().with_timezone(&self.tz).naive_local(),
        )
    }
}

/// Declares one letter per notice kind: its struct (the request, and the step's part it
/// needs), its template, and its subject.
macro_rules! letters {
    ($($(#[$doc:meta])* $name:ident $({ $field:ident: $ty:ty })? => $template:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(Template, Clone, Copy)]
            #[template(path = $template)]
            pub struct $name<'a> {
                pub n: &'a About<'a>,
                $(pub $field: &'a $ty,)?
            }
        )*

        /// One notice, ready to be addressed and rendered.
        #[derive(Clone, Copy)]
        pub enum Notice<'a> {
            $($name($name<'a>),)*
        }

        impl Notice<'_> {
            pub fn kind(&self) -> NoticeKind {
                match self {
                    $(Notice::$name(_) => NoticeKind::$name,)*
                }
            }

            /// The request the notice is about.
            pub fn about(&self) -> &About<'_> {
                match self {
                    $(Notice::$name(letter) => letter.n,)*
                }
            }

            /// The subject line, after the tracking number.
            fn what(&self) -> String {
                match self {
                    $(Notice::$name(letter) => letter.subject(),)*
                }
            }

            /// The letter's own text, before the signature.
            pub fn body(&self) -> askama::Result<String> {
                match self {
                    $(Notice::$name(letter) => letter.render(),)*
                }
            }
        }

        impl<'a> Notice<'a> {
            /// The same notice of the same step, about `n`: the request told another way (in
            /// English, for the original of a letter written in another language).
            pub fn about_as<'b>(&self, n: &'b About<'b>) -> Notice<'b>
            where
                'a: 'b,
            {
                match *self {
                    $(Notice::$name(_letter) => Notice::$name($name {
                        n,
                        $($field: _letter.$field,)?
                    }),)*
                }
            }
        }
    };
}

letters! {
    /// To the requester on filing: the tracking number, the due date and how it was counted,
    /// the private link.
    Acknowledgement { s: Submitted } => "notices/acknowledgement.txt";
    /// The request is under review.
    Accepted => "notices/accepted.txt";
    /// The one extension, with its statutory circumstance.
    Extended { e: ExtendedStep } => "notices/extended.txt";
    /// A grant, in whole or in part: when the records will be available; in part, what is
    /// withheld, why, who is responsible, and the requester's options.
    Granted { m: Moved } => "notices/granted.txt";
    /// A denial: reasons, each item withheld with its exemption, who is responsible, why no
    /// part can be released, and the requester's options.
    Denied { m: Moved } => "notices/denied.txt";
    /// No responsive records: how the city searched, the help it offers, the options.
    NoRecords { m: Moved } => "notices/no_records.txt";
    /// To the requester: their appeal arrived.
    AppealReceived { m: Moved } => "notices/appeal_received.txt";
    /// A reviewer took the appeal up.
    ReviewStarted => "notices/review_started.txt";
    /// The review decision, final, with the full content of its outcome.
    ReviewDecision { m: Moved } => "notices/review_decision.txt";
    /// The request is withdrawn, by the requester or for them.
    Withdrawn { m: Moved } => "notices/withdrawn.txt";
    /// To staff: the requester withdrew the request.
    RequesterWithdrew { m: Moved } => "notices/requester_withdrew.txt";
    /// To the requester: the records were delivered on paper or inspected.
    RecordsProduced { p: Produced } => "notices/records_produced.txt";
    /// To the requester: more records are coming, and when.
    ProductionReopened { r: Reopened } => "notices/production_reopened.txt";
    /// Staff wrote to the requester.
    StaffMessage { message: Message } => "notices/staff_message.txt";
    /// To staff: a new request in their queue.
    NewRequest => "notices/new_request.txt";
    /// To the new assignee.
    Assigned => "notices/assigned.txt";
    /// To reviewers: an appeal to take up.
    AppealFiled { m: Moved } => "notices/appeal_filed.txt";
    /// To staff: the requester wrote.
    RequesterMessage { message: Message } => "notices/requester_message.txt";
    /// To staff: due within the due-soon window.
    DueSoon => "notices/due_soon.txt";
    /// To staff: the due date has passed.
    Overdue => "notices/overdue.txt";
    /// To the requester: their API key no longer works.
    ApiKeyRevoked => "notices/api_key_revoked.txt";
    /// To the requester: their old private links no longer work; this one does.
    NewLink => "notices/new_link.txt";
    /// To the requester, who asked on "Find your request": a new link to their request.
    LinkResent => "notices/link_resent.txt";
    /// To staff: the requester lost their API key and asks for a new one.
    ApiKeyLost { a: KeyReplacementAsked } => "notices/api_key_lost.txt";
    /// To the requester: a new key in place of the lost one, to collect once.
    ApiKeyReady => "notices/api_key_ready.txt";
    /// To the requester: help to identify records (§7922.600), and a question if staff asked one.
    Assistance { a: AssistanceStep } => "notices/assistance.txt";
    /// To the requester: documents released, and where to get them.
    RecordsReleased { released: Released } => "notices/records_released.txt";
    /// To the requester: the request is closed as a repeat of another, named.
    Duplicate { m: Moved } => "notices/duplicate.txt";
    /// To staff: the requester's email address no longer takes mail.
    AddressBounced { b: NoticeBounced } => "notices/address_bounced.txt";
    /// To the complainant on filing: the number, the department, the target date, the link.
    ComplaintReceived { s: Submitted } => "notices/complaint_received.txt";
    /// To the department's staff: a new complaint for them.
    NewComplaint { s: Submitted } => "notices/new_complaint.txt";
    /// To the complainant: the department is looking into it.
    ComplaintInvestigating => "notices/complaint_investigating.txt";
    /// To the complainant: what was found and done.
    ComplaintResolved { m: Moved } => "notices/complaint_resolved.txt";
    /// To the complainant: another agency handles it, named.
    ComplaintReferred { m: Moved } => "notices/complaint_referred.txt";
    /// To the complainant: closed without action, and why.
    ComplaintDismissed { m: Moved } => "notices/complaint_dismissed.txt";
    /// To the staff of the department a complaint was sent to.
    ComplaintRerouted { r: Rerouted } => "notices/complaint_rerouted.txt";
    /// To the requester: the fee for their copies, line by line with the rule each rests on,
    /// and what happens next (or that it was waived).
    FeeEstimate { f: FeeEstimated } => "notices/fee_estimate.txt";
    /// To staff: the requester accepted or declined the fee estimate.
    FeeAnswered { a: FeeAnswer } => "notices/fee_answered.txt";
    /// To the requester: the receipt for a payment.
    FeeReceipt { f: FeeRecorded } => "notices/fee_receipt.txt";
    /// To the requester: part or all of the fee was waived.
    FeeWaived { f: FeeRecorded } => "notices/fee_waived.txt";
    /// To the requester: money was refunded.
    FeeRefunded { f: FeeRecorded } => "notices/fee_refunded.txt";
}

/// A fee line as a letter says it: what, how many at what price, the amount, the rule.
fn fee_line(n: &About<'_>, line: &crate::domain::fees::Line) -> String {
    use crate::domain::fees::{ProgrammingBasis, Rule};
    let t = n.t();
    let citation = line.rule.citation();
    if line.rule == Rule::Programming {
        let basis = match line.basis {
            Some(ProgrammingBasis::OutsideSchedule) => "letter-fee-basis-outside-schedule",
            _ => "letter-fee-basis-compilation",
        };
        let head = t
            .say("letter-fee-line-hourly")
            .with("description", &line.description)
            .count("minutes", line.quantity)
            .with("unit", line.unit)
            .with("amount", line.amount)
            .with("citation", citation)
            .to_string();
        let basis = t.w(basis);
        match &line.reason {
            Some(reason) => format!("{head}\n  {basis}\n  {reason}"),
            None => format!("{head}\n  {basis}"),
        }
    } else {
        t.say("letter-fee-line")
            .with("description", &line.description)
            .count("quantity", line.quantity)
            .with("unit", line.unit)
            .with("amount", line.amount)
            .with("citation", citation)
            .to_string()
    }
}

/// What is owed after a payment, waiver or refund, in a sentence.
fn fee_balance(n: &About<'_>, balance: crate::domain::fees::Cents) -> String {
    let t = n.t();
    match balance.0 {
        0 => t.w("letter-fee-settled"),
        owed if owed > 0 => t
            .say("letter-fee-balance")
            .with("balance", balance)
            .to_string(),
        owed_back => t
            .say("letter-fee-credit")
            .with("amount", crate::domain::fees::Cents(-owed_back))
            .to_string(),
    }
}

impl FeeEstimate<'_> {
    fn subject(&self) -> String {
        self.n.say(if self.f.waived {
            "subject-fee-waived-whole"
        } else {
            "subject-fee-estimate"
        })
    }

    fn lines(&self) -> Vec<String> {
        self.f.lines.iter().map(|l| fee_line(self.n, l)).collect()
    }

    fn note(&self) -> &str {
        self.f.note.as_deref().unwrap_or("")
    }

    fn how_to_pay(&self) -> &str {
        self.f.how_to_pay.as_deref().unwrap_or("")
    }
}

impl FeeAnswered<'_> {
    fn subject(&self) -> String {
        if self.a.accepted {
            "The requester accepted the fee estimate".into()
        } else {
            "The requester declined the fee estimate".into()
        }
    }
}

impl FeeReceipt<'_> {
    fn balance(&self) -> String {
        fee_balance(self.n, self.f.balance)
    }

    fn subject(&self) -> String {
        self.n.say("subject-fee-receipt")
    }

    fn method(&self) -> String {
        self.n.t().w(match self.f.method {
            Some(crate::domain::fees::Method::Check) => "letter-fee-method-check",
            Some(crate::domain::fees::Method::Card) => "letter-fee-method-card",
            _ => "letter-fee-method-cash",
        })
    }

    fn reference(&self) -> &str {
        self.f.reference.as_deref().unwrap_or("")
    }
}

impl FeeWaived<'_> {
    fn balance(&self) -> String {
        fee_balance(self.n, self.f.balance)
    }

    fn subject(&self) -> String {
        self.n.say("subject-fee-waived")
    }

    fn reason(&self) -> &str {
        self.f.reason.as_deref().unwrap_or("")
    }
}

impl FeeRefunded<'_> {
    fn balance(&self) -> String {
        fee_balance(self.n, self.f.balance)
    }

    fn subject(&self) -> String {
        self.n.say("subject-fee-refunded")
    }

    fn reason(&self) -> &str {
        self.f.reason.as_deref().unwrap_or("")
    }
}

impl ComplaintReceived<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-complaint-received")
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }

    fn complaint(&self) -> (&str, &str, String) {
        complaint_words(self.s, self.n.language)
    }

    fn counted(&self) -> String {
        self.s
            .reckoning
            .as_ref()
            .map(|r| reckoning::explain(r, self.n.language))
            .unwrap_or_default()
    }
}

/// A complaint's subject, place and day as its letters give them ("" when not given).
fn complaint_words(s: &Submitted, language: Language) -> (&str, &str, String) {
    match &s.complaint {
        Some(c) => (
            c.subject.as_str(),
            c.location.as_deref().unwrap_or(""),
            c.occurred_on
                .map(|day| long_date_in(language, day))
                .unwrap_or_default(),
        ),
        None => ("", "", String::new()),
    }
}

impl NewComplaint<'_> {
    fn subject(&self) -> String {
        "A new complaint for your department".into()
    }

    fn complaint(&self) -> (&str, &str, String) {
        complaint_words(self.s, self.n.language)
    }
}

impl ComplaintInvestigating<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-complaint-investigating")
    }
}

impl ComplaintResolved<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-complaint-resolved")
    }
}

impl ComplaintReferred<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-complaint-referred")
    }

    fn agency(&self) -> &str {
        self.m.referred_to.as_deref().unwrap_or("")
    }
}

impl ComplaintDismissed<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-complaint-dismissed")
    }
}

impl ComplaintRerouted<'_> {
    fn subject(&self) -> String {
        "A complaint was sent to your department".into()
    }

    /// The department it came from, by name (older events name only its queue).
    fn from(&self) -> &str {
        self.r
            .from_department
            .as_deref()
            .unwrap_or(&self.r.from_queue)
    }

    fn note(&self) -> &str {
        self.r.note.as_deref().unwrap_or("")
    }
}

impl Acknowledgement<'_> {
    fn subject(&self) -> String {
        say(
            self.n.language,
            "subject-acknowledgement",
            &[("kind", Arg::Text(&self.n.kind_label()))],
        )
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }

    fn counted(&self) -> String {
        self.s
            .reckoning
            .as_ref()
            .map(|r| reckoning::explain(r, self.n.language))
            .unwrap_or_default()
    }
}

impl Accepted<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-accepted")
    }
}

/// The message that says a circumstance of Gov. Code §7922.535(c) in plain words; the English
/// ones are `Circumstance::description`'s words (a test keeps them so).
fn circumstance_id(circumstance: Circumstance) -> &'static str {
    match circumstance {
        Circumstance::FieldFacilities => "letter-circumstance-field-facilities",
        Circumstance::VoluminousRecords => "letter-circumstance-voluminous-records",
        Circumstance::Consultation => "letter-circumstance-consultation",
        Circumstance::DataCompilation => "letter-circumstance-data-compilation",
        Circumstance::StateOfEmergency => "letter-circumstance-state-of-emergency",
    }
}

impl Extended<'_> {
    fn subject(&self) -> String {
        say(
            self.n.language,
            "subject-extended",
            &[("due", Arg::Text(&self.new_due()))],
        )
    }

    fn previous_due(&self) -> String {
        long_date_in(self.n.language, self.e.previous_due)
    }

    fn new_due(&self) -> String {
        long_date_in(self.n.language, self.e.determination_due)
    }

    fn reason(&self) -> &str {
        self.e.reason.as_deref().unwrap_or("")
    }

    fn subdivision(&self) -> &'static str {
        self.e.circumstance.subdivision()
    }

    /// The statute's circumstance in plain words: in English as the step stored it (the words
    /// of the day it was signed), in another language its translation.
    fn circumstance_text(&self) -> String {
        if self.n.language == Language::English {
            return self.e.circumstance_text.clone();
        }
        word(self.n.language, circumstance_id(self.e.circumstance))
    }

    fn counted(&self) -> String {
        self.e
            .reckoning
            .as_ref()
            .map(|r| reckoning::explain(r, self.n.language))
            .unwrap_or_default()
    }
}

/// What a decision letter reads of the transition.
impl Moved {
    fn decision_text(&self) -> &str {
        self.decision.as_deref().unwrap_or("")
    }

    fn reason_text(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    fn segregability_text(&self) -> &str {
        self.segregability.as_deref().unwrap_or("")
    }

    fn search_text(&self) -> &str {
        self.search.as_deref().unwrap_or("")
    }

    fn appeal_deadline_words(&self, language: Language) -> String {
        self.appeal_deadline
            .map(|day| long_date_in(language, day))
            .unwrap_or_default()
    }

    /// Something is withheld: the letter lists it, with who is responsible.
    fn withholds(&self) -> bool {
        !self.withholdings.is_empty()
    }

    /// The outcome a review decision states, as the wording chooses its words. A review
    /// decides only to grant, deny or find no records (`Notice::for_transition`).
    fn outcome(&self) -> &'static str {
        match (self.to, self.partial) {
            (Status::Granted, false) => "granted",
            (Status::Granted, true) => "granted-in-part",
            (Status::NoRecords, _) => "no-records",
            _ => "denied",
        }
    }
}

impl Granted<'_> {
    fn subject(&self) -> String {
        self.n.say(match self.m.partial {
            true => "subject-granted-in-part",
            false => "subject-granted",
        })
    }

    fn records_due(&self) -> String {
        self.m
            .records_due_at
            .as_ref()
            .map(|at| self.n.local(at))
            .unwrap_or_default()
    }
}

impl Denied<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-denied")
    }
}

impl NoRecords<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-no-records")
    }
}

impl AppealReceived<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-appeal-received")
    }

    fn grounds(&self) -> &str {
        self.m.grounds.as_deref().unwrap_or("")
    }
}

impl ReviewStarted<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-review-started")
    }
}

impl ReviewDecision<'_> {
    fn subject(&self) -> String {
        self.n.say(match self.review() {
            ReviewOutcome::Upheld => "subject-review-upheld",
            ReviewOutcome::Overturned => "subject-review-overturned",
            ReviewOutcome::Revised => "subject-review-revised",
        })
    }

    fn review(&self) -> ReviewOutcome {
        self.m.review.unwrap_or(match self.m.to {
            Status::Granted => ReviewOutcome::Overturned,
            _ => ReviewOutcome::Upheld,
        })
    }

    fn records_due(&self) -> String {
        self.m
            .records_due_at
            .as_ref()
            .map(|at| self.n.local(at))
            .unwrap_or_default()
    }
}

impl Withdrawn<'_> {
    fn subject(&self) -> String {
        self.n.say_of_kind("subject-withdrawn")
    }

    fn reason(&self) -> &str {
        self.m.reason.as_deref().unwrap_or("")
    }

    fn on_behalf(&self) -> &str {
        self.m.on_behalf.as_deref().unwrap_or("")
    }
}

impl Duplicate<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-duplicate")
    }

    /// "Find your request", beside the private links this service gives.
    fn find_url(&self) -> String {
        match self.n.private_url.split_once("/requests/") {
            Some((base, _)) => format!("{base}/requests/find"),
            None => String::new(),
        }
    }

    fn original(&self) -> &str {
        self.m.duplicate_of.as_deref().unwrap_or("")
    }
}

impl AddressBounced<'_> {
    fn subject(&self) -> String {
        "The requester's email address no longer takes mail".into()
    }

    fn diagnostic(&self) -> &str {
        self.b.diagnostic.as_deref().unwrap_or("")
    }
}

impl RequesterWithdrew<'_> {
    fn subject(&self) -> String {
        "The requester withdrew the request".into()
    }

    fn reason(&self) -> &str {
        self.m.reason.as_deref().unwrap_or("")
    }
}

impl RecordsProduced<'_> {
    fn subject(&self) -> String {
        self.n.say(match self.p.how {
            Production::Inspection => "subject-inspected",
            Production::Paper | Production::Released => "subject-delivered",
        })
    }

    /// How the records were produced, as the wording chooses its words.
    fn how(&self) -> &'static str {
        self.p.how.as_str()
    }

    fn note(&self) -> &str {
        self.p.note.as_deref().unwrap_or("")
    }
}

impl ProductionReopened<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-reopened")
    }

    fn records_due(&self) -> String {
        self.n.local(&self.r.records_due_at)
    }
}

impl StaffMessage<'_> {
    fn subject(&self) -> String {
        self.n.say_of_kind("subject-staff-message")
    }
}

impl NewRequest<'_> {
    fn subject(&self) -> String {
        format!("New {} in your queue", self.n.staff_kind_label())
    }
}

impl Assigned<'_> {
    fn subject(&self) -> String {
        "Assigned to you".into()
    }
}

impl AppealFiled<'_> {
    fn subject(&self) -> String {
        "Appeal filed".into()
    }

    fn grounds(&self) -> &str {
        self.m.grounds.as_deref().unwrap_or("")
    }
}

impl RequesterMessage<'_> {
    fn subject(&self) -> String {
        match self.message.files.len() {
            0 => "The requester wrote".into(),
            _ => "The requester sent a file".into(),
        }
    }

    fn size_of(&self, file: &crate::domain::step::SentFile) -> String {
        super::render::size_in_words(file.size_bytes.max(0) as u64)
    }
}

impl DueSoon<'_> {
    fn subject(&self) -> String {
        format!("Due {}", self.n.due_on_words())
    }
}

impl Overdue<'_> {
    fn subject(&self) -> String {
        "Overdue".into()
    }
}

impl NewLink<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-new-link")
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }
}

impl LinkResent<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-link-resent")
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }
}

impl ApiKeyRevoked<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-api-key-revoked")
    }
}

impl ApiKeyLost<'_> {
    fn subject(&self) -> String {
        "The requester lost their API key".into()
    }

    fn reason(&self) -> &str {
        self.a.reason.as_deref().unwrap_or("")
    }
}

impl Assistance<'_> {
    fn subject(&self) -> String {
        self.n.say(match self.a.question {
            Some(_) => "subject-assistance-question",
            None => "subject-assistance",
        })
    }

    fn location(&self) -> &str {
        self.a.location.as_deref().unwrap_or("")
    }

    fn question(&self) -> &str {
        self.a.question.as_deref().unwrap_or("")
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }
}

impl ApiKeyReady<'_> {
    fn subject(&self) -> String {
        self.n.say("subject-api-key-ready")
    }

    fn private_url(&self) -> &str {
        &self.n.private_url
    }
}

impl RecordsReleased<'_> {
    fn subject(&self) -> String {
        let count = i64::try_from(self.released.documents.len()).unwrap_or(i64::MAX);
        say(
            self.n.language,
            "subject-records-released",
            &[("count", Arg::Number(count))],
        )
    }

    /// Each document's title and its size in words, or where a link points.
    fn listed(&self) -> Vec<(&str, String)> {
        self.released
            .documents
            .iter()
            .map(|d| {
                let detail = match (d.size_bytes, &d.url) {
                    (Some(size), _) => size_in(self.n.language, size.max(0) as u64),
                    (None, url) => url.clone().unwrap_or_default(),
                };
                (d.title.as_str(), detail)
            })
            .collect()
    }
}

/// Which reminder a staff member gets about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    DueSoon,
    Overdue,
}

impl Reminder {
    pub fn kind(self) -> NoticeKind {
        match self {
            Reminder::DueSoon => NoticeKind::DueSoon,
            Reminder::Overdue => NoticeKind::Overdue,
        }
    }
}

impl<'a> Notice<'a> {
    /// The notices a step causes, each in its reader's language: the requester's letters from
    /// `n` (their language), staff's from `staff` (`n.in_english()`).
    pub fn for_step_to_each(
        step: &'a Step,
        n: &'a About<'a>,
        staff: &'a About<'a>,
    ) -> Vec<Notice<'a>> {
        // The same step makes the same notices in the same order whatever the language.
        let (theirs, ours) = (Notice::for_step(step, n), Notice::for_step(step, staff));
        debug_assert_eq!(theirs.len(), ours.len());
        theirs
            .into_iter()
            .zip(ours)
            .map(|(theirs, ours)| match theirs.audience() {
                Audience::Staff => ours,
                Audience::Requester => theirs,
            })
            .collect()
    }

    /// The notices a step causes, about the request as `n` describes it. Every transition
    /// tells the requester; an appeal also tells the reviewers.
    pub fn for_step(step: &'a Step, n: &'a About<'a>) -> Vec<Notice<'a>> {
        match step {
            Step::Submitted(s) if s.kind.is_complaint() => vec![
                Notice::ComplaintReceived(ComplaintReceived { n, s }),
                Notice::NewComplaint(NewComplaint { n, s }),
            ],
            Step::Submitted(s) => vec![
                Notice::Acknowledgement(Acknowledgement { n, s }),
                Notice::NewRequest(NewRequest { n }),
            ],
            Step::Transition(m) => Notice::for_transition(m, n),
            Step::Message(message) => vec![match message.author {
                Author::Requester => Notice::RequesterMessage(RequesterMessage { n, message }),
                Author::Staff => Notice::StaffMessage(StaffMessage { n, message }),
            }],
            Step::Extended(e) => vec![Notice::Extended(Extended { n, e })],
            // Released records were announced with the release itself.
            Step::Produced(Produced {
                how: Production::Released,
                ..
            }) => vec![],
            Step::Produced(p) => vec![Notice::RecordsProduced(RecordsProduced { n, p })],
            Step::Reopened(r) => vec![Notice::ProductionReopened(ProductionReopened { n, r })],
            Step::Assigned(_) => vec![Notice::Assigned(Assigned { n })],
            Step::Rerouted(r) => vec![Notice::ComplaintRerouted(ComplaintRerouted { n, r })],
            Step::DocumentsReleased(released) => {
                vec![Notice::RecordsReleased(RecordsReleased { n, released })]
            }
            Step::ApiKeyRevoked(_) => vec![Notice::ApiKeyRevoked(ApiKeyRevoked { n })],
            Step::ApiKeyReplacementAsked(a) => vec![Notice::ApiKeyLost(ApiKeyLost { n, a })],
            Step::ApiKeyReplacementOffered(_) => vec![Notice::ApiKeyReady(ApiKeyReady { n })],
            Step::Assisted(a) => vec![Notice::Assistance(Assistance { n, a })],
            Step::FeeEstimated(f) => vec![Notice::FeeEstimate(FeeEstimate { n, f })],
            Step::FeeAnswered(a) => vec![Notice::FeeAnswered(FeeAnswered { n, a })],
            Step::FeeRecorded(f) => vec![match f.kind {
                crate::domain::fees::EntryKind::Payment => Notice::FeeReceipt(FeeReceipt { n, f }),
                crate::domain::fees::EntryKind::Waiver => Notice::FeeWaived(FeeWaived { n, f }),
                crate::domain::fees::EntryKind::Refund => Notice::FeeRefunded(FeeRefunded { n, f }),
            }],
            Step::DocumentAdded(_)
            | Step::Note(_)
            | Step::DocumentDownloaded(_)
            | Step::ApiKeyClaimed(_)
            | Step::NoticeQueued(_)
            | Step::NoticeDelivered(_)
            | Step::NoticeFailed(_)
            | Step::NoticeDeadLettered(_)
            | Step::NoticeRetried(_)
            | Step::LinkIssued(_) => vec![],
            Step::LinksRevoked(_) => vec![Notice::NewLink(NewLink { n })],
            Step::LinkRequested(_) => vec![Notice::LinkResent(LinkResent { n })],
            Step::LetterPosted(_) => vec![],
            Step::Published(_) | Step::KeptOut(_) | Step::PublicationWithdrawn(_) => vec![],
            // Staff hear of an address that stopped working, not of every bounce.
            Step::NoticeBounced(b) if b.address_flagged => {
                vec![Notice::AddressBounced(AddressBounced { n, b })]
            }
            Step::NoticeBounced(_) => vec![],
        }
    }

    fn for_transition(m: &'a Moved, n: &'a About<'a>) -> Vec<Notice<'a>> {
        let on_review = m.from == Status::AdministrativeReview;
        match m.to {
            Status::UnderReview => vec![Notice::Accepted(Accepted { n })],
            Status::Granted | Status::Denied | Status::NoRecords if on_review => {
                vec![Notice::ReviewDecision(ReviewDecision { n, m })]
            }
            Status::Granted => vec![Notice::Granted(Granted { n, m })],
            Status::Denied => vec![Notice::Denied(Denied { n, m })],
            Status::NoRecords => vec![Notice::NoRecords(NoRecords { n, m })],
            Status::Appealed => vec![
                Notice::AppealReceived(AppealReceived { n, m }),
                Notice::AppealFiled(AppealFiled { n, m }),
            ],
            Status::AdministrativeReview => vec![Notice::ReviewStarted(ReviewStarted { n })],
            // Withdrawn by staff for the requester, staff know; by the requester, staff are told.
            Status::Withdrawn if m.on_behalf.is_some() => {
                vec![Notice::Withdrawn(Withdrawn { n, m })]
            }
            Status::Withdrawn => vec![
                Notice::Withdrawn(Withdrawn { n, m }),
                Notice::RequesterWithdrew(RequesterWithdrew { n, m }),
            ],
            Status::Duplicate => vec![Notice::Duplicate(Duplicate { n, m })],
            Status::Investigating => {
                vec![Notice::ComplaintInvestigating(ComplaintInvestigating { n })]
            }
            Status::Resolved => vec![Notice::ComplaintResolved(ComplaintResolved { n, m })],
            Status::Referred => vec![Notice::ComplaintReferred(ComplaintReferred { n, m })],
            Status::Dismissed => vec![Notice::ComplaintDismissed(ComplaintDismissed { n, m })],
            // Nothing moves a request back to where it starts.
            Status::Submitted | Status::Received => vec![],
        }
    }

    /// A deadline reminder to staff.
    pub fn reminder(which: Reminder, n: &'a About<'a>) -> Notice<'a> {
        match which {
            Reminder::DueSoon => Notice::DueSoon(DueSoon { n }),
            Reminder::Overdue => Notice::Overdue(Overdue { n }),
        }
    }

    pub fn audience(&self) -> Audience {
        self.kind().audience()
    }

    /// `[RR-2026-00042] Your request is granted`
    pub fn subject(&self) -> String {
        format!("[{}] {}", self.about().tracking_number, self.what())
    }
}

/// A request's letters are about, for the tests of the letters and of their rendering.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn office() -> OfficeSettings {
        OfficeSettings {
            name: "Office of the City Clerk, City of Concord".into(),
            email: "cityclerk@cityofconcord.org".into(),
            phone: "(925) 671-3000".into(),
            address: "1950 Parkside Drive, Concord, CA 94519".into(),
        }
    }

    pub fn about(office: &OfficeSettings) -> About<'_> {
        let day = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
        About {
            tracking_number: "RR-2026-00042",
            kind: RequestKind::PublicRecords,
            status: Status::UnderReview,
            description: "Police logs for <Todos Santos> Plaza & surroundings, March 2026.",
            dataset_id: None,
            received_on: day("2026-03-02"),
            determination_due: day("2026-03-12"),
            due_on: day("2026-03-12"),
            staff_url: "http://127.0.0.1:8080/staff/requests/RR-2026-00042".into(),
            office,
            requester_name: Some("Jane Q. Public"),
            private_url: crate::notify::private_link::url("http://127.0.0.1:8080", "RR-2026-00042"),
            tz: chrono_tz::America::Los_Angeles,
            language: Language::English,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{about, office};
    use super::*;
    use crate::domain::transitions::TABLE;

    fn moved(from: Status, to: Status) -> Step {
        Step::Transition(Moved::bare(from, to))
    }

    #[test]
    fn every_transition_tells_the_requester() {
        let office = office();
        let n = about(&office);
        for rule in TABLE {
            let step = moved(rule.from, rule.to);
            let notices = Notice::for_step(&step, &n);
            assert!(
                notices.iter().any(|x| x.audience() == Audience::Requester),
                "{} → {} sends the requester nothing",
                rule.from,
                rule.to
            );
        }
    }

    #[test]
    fn an_appeal_also_tells_staff_and_a_review_is_decided_in_one_notice() {
        let office = office();
        let n = about(&office);
        let appeal = moved(Status::Denied, Status::Appealed);
        let kinds: Vec<NoticeKind> = Notice::for_step(&appeal, &n)
            .iter()
            .map(Notice::kind)
            .collect();
        assert_eq!(kinds, [NoticeKind::AppealReceived, NoticeKind::AppealFiled]);
        assert_eq!(NoticeKind::AppealFiled.audience(), Audience::Staff);
        for to in [Status::Granted, Status::Denied, Status::NoRecords] {
            let decided = moved(Status::AdministrativeReview, to);
            let kinds: Vec<NoticeKind> = Notice::for_step(&decided, &n)
                .iter()
                .map(Notice::kind)
                .collect();
            assert_eq!(kinds, [NoticeKind::ReviewDecision]);
        }
    }

    #[test]
    fn the_english_circumstances_are_the_statutes_words_as_the_extensions_store_them() {
        for circumstance in Circumstance::ALL {
            assert_eq!(
                word(Language::English, circumstance_id(circumstance)),
                circumstance.description(),
                "{circumstance:?}"
            );
            assert_ne!(
                word(Language::Spanish, circumstance_id(circumstance)),
                circumstance.description(),
                "{circumstance:?} has its Spanish words"
            );
        }
    }
}
