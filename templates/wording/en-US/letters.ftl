# The fixed wording of the letters to the requester (`templates/notices/`): each letter's
# sentences, whole, with what changes placed as `{ $name }`. What people wrote (a reason, a
# decision, a description) and the layout (blank lines, "- " before an item, the private link
# on a line of its own) stay in the templates. Dates are placed already written out. Staff
# letters stay in English in their templates. One file per language (docs/PRODUCT.md,
# "Wording"); `src/wording.rs` reads it.

## Every letter to the requester.

letter-greeting = Dear { $name },
letter-greeting-no-name = Hello,
# A time of day on a date: "4:00 PM on Friday, March 20, 2026".
letter-time-on-date = { $time } on { $date }

# Where a letter's copy (its printable page, its PDF) withholds the private link.
letter-link-withheld = [your private link is not shown on this copy: it is in the email or letter we sent you]

## The signature under every letter (notice.txt), and the language of its HTML part.

letter-notice-lang = en
letter-notice-follow = Follow your { $kind ->
    [complaint] complaint
   *[other] request
}, write to us, or withdraw it with your private link:
letter-notice-keep-link = Keep this link to yourself: anyone who has it can see and act on your { $kind ->
    [complaint] complaint
   *[other] request
}.
letter-notice-quote = Please quote { $number } when you write to us.

## How a due date was counted, in the acknowledgement and the extension. A count of days
## reads as a word up to twenty; $count arrives capitalised where it starts a sentence.

letter-counted = How we counted: { $how }
letter-counted-receipt = Received { $from }. { $count } calendar days later is { $counted }, when the determination is due.
letter-counted-receipt-closed = Received { $from }. { $count } calendar days later is { $counted }; the office is closed { $closed }, so the determination is due { $due }.
letter-counted-extension = Extended by { $extension } ({ $circumstance }): { $count } calendar days after receipt on { $from } is { $counted }, when the determination is due.
letter-counted-extension-closed = Extended by { $extension } ({ $circumstance }): { $count } calendar days after receipt on { $from } is { $counted }; the office is closed { $closed }, so the determination is due { $due }.
letter-counted-appeal = Appeal received { $from }. { $count } calendar days later is { $counted }, when the review is due.
letter-counted-appeal-closed = Appeal received { $from }. { $count } calendar days later is { $counted }; the office is closed { $closed }, so the review is due { $due }.
letter-counted-target = Complaint received { $from }. { $count } calendar days later is { $counted }, the day we aim to close it by.
letter-counted-target-closed = Complaint received { $from }. { $count } calendar days later is { $counted }; the office is closed { $closed }, so we aim to close it by { $due }.
letter-counted-number = { $n ->
    [0] zero
    [1] one
    [2] two
    [3] three
    [4] four
    [5] five
    [6] six
    [7] seven
    [8] eight
    [9] nine
    [10] ten
    [11] eleven
    [12] twelve
    [13] thirteen
    [14] fourteen
    [15] fifteen
    [16] sixteen
    [17] seventeen
    [18] eighteen
    [19] nineteen
    [20] twenty
   *[other] { $n }
}
# The extension's own days: "five days", with $words the number as letter-counted-number
# writes it.
letter-counted-days = { $n ->
    [one] { $words } day
   *[other] { $words } days
}
# The first day the office is closed is the day the count ended on.
letter-counted-that-day = that day
# The last two of the closed days: "Saturday, March 28, 2026 and Sunday, March 29, 2026";
# the ones before are separated by commas.
letter-counted-and = { $rest } and { $last }
# The extension's unusual circumstance, in a few words (Gov. Code §7922.535(c)).
letter-counted-circumstance = { $circumstance ->
    [field_facilities] records in field facilities
    [voluminous_records] voluminous records
    [consultation] consultation with another agency or department
    [data_compilation] compiling data or writing a program
   *[state_of_emergency] a state of emergency
}

## acknowledgement: the request arrived.

letter-acknowledgement-received = We received your { $kind } on { $on }. Its tracking number is { $number }.
letter-acknowledgement-asked = What you asked for:
letter-acknowledgement-dataset = Dataset: { $dataset }
letter-acknowledgement-due = We will tell you our determination by { $due }. The California Public Records Act gives the City 10 calendar days to decide. In unusual circumstances the City may extend this once, by up to 14 days, and will tell you why in writing.

## accepted: the request is under review.

letter-accepted-under-review = Your request { $number } is now under review. We will tell you our determination by { $due }.
letter-accepted-follow = You can follow it, and write to us, with the private link at the end of this email.

## extended: the one extension.

letter-extended-more-time = We need more time to decide your request { $number }. Under Government Code section 7922.535 we are extending the deadline by { $days } days, because of this unusual circumstance (section 7922.535{ $subdivision }):
# The circumstance of section 7922.535(c), in plain words: English letters print the words
# stored with the extension, which are these (domain/deadlines.rs; a test keeps them equal).
letter-circumstance-field-facilities = The records must be searched for and collected from field facilities or other establishments separate from the office processing the request.
letter-circumstance-voluminous-records = A voluminous amount of separate and distinct records must be searched for, collected and examined.
letter-circumstance-consultation = Another agency with a substantial interest in the request, or two or more parts of the City, must be consulted.
letter-circumstance-data-compilation = Data must be compiled, or a computer report written or programmed, to extract the records.
letter-circumstance-state-of-emergency = The records must be searched for, collected and examined during a state of emergency the Governor has proclaimed here, which is keeping the City from responding on time because of staff shortages or closed facilities.
letter-extended-new-due = You will have our determination by { $due } (it was due { $previous }).
letter-extended-signed = Signed by { $name }, { $title }, as designee of the head of the agency.

## granted: a grant, in whole or in part (the review decision says some of it too).

letter-granted-decided = We have decided your request { $number }: it is granted.
letter-granted-in-part = We have decided your request { $number }: it is granted in part. We are releasing some records and withholding others; this letter says which, why, and who is responsible.
letter-granted-available = Your records will be available by { $by }. We will write again when they are.
letter-granted-api-key = Your API key is ready. Open the private link at the end of this email and choose "Get your API key". The key is shown once, there only; we never send it by email.

## withholding: what a grant in part, a denial or a review withholds (withholding.txt).

letter-withholding-heading = What we are withholding, and why:
letter-withholding-exemption = Exemption: { $citation }
letter-withholding-exemption-titled = Exemption: { $citation } — { $title }
letter-withholding-why = Why it applies: { $reason }
letter-withholding-balance = Why the public interest served by withholding it clearly outweighs the public interest served by disclosing it (Government Code section 7922.000): { $justification }
letter-withholding-responsible = Responsible for this decision (Government Code section 7922.540):

## options: what the requester can do about a decision (options.txt).

letter-options-heading = What you can do:
letter-options-review = Ask the City to review this decision. The review is optional: you do not need it before going to court, and it does not change any deadline the law sets. To ask, open the private link at the end of this email and choose "Ask for a review", or write to { $email } quoting { $number }, by { $by }. A reviewer who did not make this decision and is not named in it will consider it.
letter-options-court = Ask a court to order the records disclosed (Government Code section 7923.000 and following). You may do this at any time, with or without the City's review.

## help: the help offered when no records were found (help.txt).

letter-help = We can help. Under Government Code section 7922.600 we will help you identify records and information that respond to your request or to its purpose, describe the information technology and the places where records are kept, and suggest ways to get what you are looking for. Reply to this email, write to { $email } or call { $phone }, quoting { $number }.

## denied: a denial (the review decision repeats its reasons).

letter-denied-decided = We have decided your request { $number }: it is denied. We are not releasing any records.
letter-denied-reasons = Our reasons:
letter-denied-segregability = Why no part of the records can be released: the law requires us to release any reasonably segregable part of a record (Government Code section 7922.525).

## no_records: nothing responsive was found.

letter-no-records-decided = We have decided your request { $number }: after searching, the City found no records that respond to it (Government Code section 7922.535).
letter-no-records-searched = How and where we searched:

## appeal_received: the requester's appeal arrived.

letter-appeal-received-grounds = We received your request for a review of the decision on request { $number }. Your grounds:
letter-appeal-received-reviewer = A reviewer who did not make the original decision and is not named in it will consider it. You will have the review decision by { $due }.

## review_started: a reviewer took the appeal up.

letter-review-started-taken-up = A reviewer has taken up your request for a review of the decision on { $number }. You will have the review decision by { $due }.

## review_decision: the final decision on the appeal.

letter-review-decision-outcome = On review, the decision on your request { $number } is { $review ->
        [upheld] upheld
        [overturned] overturned
       *[revised] changed
    }: { $outcome ->
        [granted] your request is granted
        [granted-in-part] your request is granted in part
        [no-records] the City holds no records that respond to your request
       *[denied] your request is denied
    }.
letter-review-decision-final = This decision is final: the City will not review it again.
letter-review-decision-court = You may ask a court to order the records disclosed (Government Code section 7923.000 and following).

## withdrawn: the request is withdrawn, by the requester or for them.

letter-withdrawn-as-asked = Your { $kind ->
    [complaint] complaint
   *[other] request
} { $number } is withdrawn, as you asked. We will do no more work on it.
letter-withdrawn-on-behalf = Your { $kind ->
    [complaint] complaint
   *[other] request
} { $number } is withdrawn, as you asked us: { $how }. We will do no more work on it. If you did not ask for this, write to { $email } quoting { $number }.
letter-withdrawn-reason = Your reason: { $reason }
letter-withdrawn-new-request = You are welcome to file a new { $kind ->
    [complaint] complaint
   *[other] request
} at any time.

## duplicate: staff closed the request because it repeats another.

letter-duplicate-closed = Your request { $number } asks for the same records as request { $original }, so we have closed { $number } and will answer you once, on { $original }.
letter-duplicate-follow = Follow { $original } with the private link we sent you for it. If you no longer have that link, give { $original } and the email address you used for it at { $find } and we will email you a new one.
letter-duplicate-not-yours = If you think { $number } asks for something different, write to { $email } quoting { $number } and we will look at it again.

## staff_message: staff wrote to the requester.

letter-staff-message-wrote = { $author } wrote about your { $kind ->
    [complaint] complaint
   *[other] request
} { $number }:
letter-staff-message-answer = To answer, use the private link at the end of this email, or reply to { $email } quoting { $number }.

## records_produced: the records were delivered on paper or inspected.

letter-records-produced-how = The records for your request { $number } were { $how ->
        [paper] delivered on paper or other media
        [inspection] made available for inspection in person
       *[released] released to you online
    }.
letter-records-produced-missing = If anything you were told you would receive is missing, write to { $email } quoting { $number }.

## production_reopened: more records are coming.

letter-production-reopened-incomplete = The records we produced for your request { $number } were not complete:
letter-production-reopened-expected = We expect the rest to be available by { $by }. We will write again when they are.

## fee_estimate, fee_receipt, fee_waived, fee_refunded: fees for copies (docs/PRODUCT.md, "Fees").

letter-fee-estimate-intro = Before we make copies of the records for your request { $number }, here is what they will cost:
letter-fee-waived-whole = The fee for the copies for your request { $number } comes to { $total }, which is under the amount the City charges: it is waived, and you have nothing to pay.
letter-fee-line = { $description }: { $quantity } × { $unit } = { $amount } ({ $citation })
letter-fee-line-hourly = { $description }: { $minutes } minutes at { $unit } an hour = { $amount } ({ $citation })
letter-fee-basis-compilation = The law allows this charge because your request needs data to be compiled or extracted, or a program written, to produce the copy.
letter-fee-basis-outside-schedule = The law allows this charge because the record is otherwise produced only at regularly scheduled times.
letter-fee-total = Total: { $total }
letter-fee-estimate-next = Please tell us whether you accept this estimate, using the private link at the end of this email. If you decline it, nothing is charged: we will still release the records that need no payment, and you may inspect the records in person free of charge.
letter-fee-rules = The law lets the City charge only the direct cost of duplicating records, or a fee set by law (Government Code section 7922.530), and for electronic records the cost of producing the copy, with programming or data work only when a request needs it (section 7922.575). Nothing is charged for searching for, reviewing or redacting records, or for inspecting them.
letter-fee-deadline = A fee never extends the deadline for our determination on your request (Government Code section 7922.535).
letter-fee-receipt = Receipt number { $receipt }: we received your payment of { $amount } for request { $number }. Thank you.
letter-fee-receipt-method = Paid by: { $method }
letter-fee-method-cash = cash
letter-fee-method-check = check
letter-fee-method-card = card
letter-fee-waived = We have waived { $amount } of the fee for your request { $number }.
letter-fee-refunded = We have refunded { $amount } to you for your request { $number }.
letter-fee-balance = Still to pay: { $balance }.
letter-fee-settled = Nothing more is owed.
letter-fee-credit = We owe you { $amount }, and will refund it.

## records_released: documents released, and where to get them.

letter-records-released-count = We have released { $count ->
        [one] 1 document
       *[other] { $count } documents
    } in response to your request { $number }:
# A document's size: $size is the number, already rounded ("1.2").
letter-records-released-size = { $unit ->
        [kb] { $size } KB
        [mb] { $size } MB
        [gb] { $size } GB
       *[bytes] { $size } bytes
    }
letter-records-released-download = To download them, open the private link at the end of this email; they are listed under "Records released to you". The link is yours alone: anyone who has it can see your request.
letter-records-released-redactions = Where a document says something was redacted or withheld, the reason and the exemption are given beside it.

## api_key_revoked: the requester's API key no longer works.

letter-api-key-revoked-revoked = The API key granted with your request { $number } has been revoked. It no longer opens the City's data APIs.
letter-api-key-revoked-mistake = If you think this is a mistake, write to us quoting { $number }.

## api_key_ready: a new key in place of a lost one.

letter-api-key-ready-ready = You told us the API key granted with your request { $number } was lost. A new key is ready for you. Open your request with this link and choose "Get your new API key":
letter-api-key-ready-once = The new key is shown once, when you collect it, so keep it somewhere safe. Collecting it turns your old key off; until then the old key keeps working. The new key opens the same data, at the same rate, until the same date as the old one.

## new_link: the old private links were turned off; this one works.

letter-new-link-turned-off = The City's staff have turned off the private links we sent you earlier for your { $kind } { $number }, usually because a link may have reached someone else. Those links no longer open your request.
letter-new-link-use = Use this new link to follow your request, write to us, or withdraw it:
letter-new-link-unexpected = If you did not expect this, write to us quoting { $number }.

## link_resent: a new link, asked for on "Find your request".

letter-link-resent-asked = Someone asked on our website for a new link to your { $kind } { $number }, giving its tracking number and this email address. Use this link to follow your request, write to us, or withdraw it:
letter-link-resent-earlier-links = Your earlier links still work.
letter-link-resent-not-you = If you did not ask for this link, you need not do anything: it was sent only to you. If you think someone else has one of your links, write to us quoting { $number } and we will turn the old links off.

## assistance: help to identify records (Government Code section 7922.600).

letter-assistance-intro = We want to help you make a request that finds the records you are after (Government Code section 7922.600). About your { $kind } { $number }:
letter-assistance-records = Records that may answer your request:
letter-assistance-location = How and where they are kept:
letter-assistance-focus = How you could focus your request:
letter-assistance-question = Our question to you:
letter-assistance-answer = Please answer by writing to us on your request's page:
letter-assistance-clock = This does not stop the clock: we will still tell you our decision by { $due }. If what you tell us makes it a different request, we will file that as a new request from the day you wrote, and tell you; this one keeps its own decision unless you ask us in writing to withdraw it.

# Complaints (docs/PRODUCT.md, "Complaints"): no statute times them; the city's own target does.
letter-complaint-received = We received your complaint on { $on }. Its tracking number is { $number }.
letter-complaint-about = What it is about: { $subject }
letter-complaint-where = Where: { $location }
letter-complaint-when = When it happened or was noticed: { $on }
letter-complaint-target = The department will look into it. We aim to close it by { $due }; we will write to you when it is closed, and when the department begins to look into it.
letter-complaint-investigating = The department is looking into your complaint { $number }. We aim to close it by { $due }.
letter-complaint-resolved = Your complaint { $number } is resolved. What the department found and did:
letter-complaint-referred = Your complaint { $number } is about a matter the City does not handle: we referred it to { $agency }, who does. We will do no more work on it.
letter-complaint-dismissed = Your complaint { $number } is closed without action, for this reason:
letter-complaint-closed-questions = If you have questions, write to { $email } quoting { $number }. You may file a new complaint at any time.

## Under a letter in any language but English: the English letter is the legal text.

letter-legal-original = This letter is a translation; the English original is the legal text.
