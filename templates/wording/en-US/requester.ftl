# What a requester reads that is not a page template or a letter's body: the tracking page's
# timeline, stages and "what happens next", the names of states and kinds, the lines shown
# after a step, and the subjects of the letters to the requester. One file per language
# (docs/PRODUCT.md, "Plain words" and "Wording"); `src/wording.rs` reads it.

## The tracking page's timeline: one line for each step the requester is shown.

timeline-received = We received your request. We will tell you our decision by { $due }.
timeline-review-started = We started reviewing your request.
timeline-appeal-granted-in-part = The reviewer decided on your appeal: part of the records will be given to you, and some are withheld.
timeline-appeal-granted = The reviewer decided on your appeal: the records will be given to you.
timeline-granted-in-part = We decided to give you part of the records. Some are withheld; the reasons are below.
timeline-granted = We decided to give you the records you asked for.
timeline-appeal-denied = The reviewer decided on your appeal: the decision not to give you the records stands.
timeline-denied = We decided not to give you the records. The reasons are below.
timeline-appeal-no-records = The reviewer decided on your appeal: we have no records that match your request.
timeline-no-records = We found no records that match your request.
timeline-appealed = You asked for our decision to be reviewed.
timeline-appeal-taken-up = A reviewer who did not make the decision started reviewing it.
timeline-withdrawn = The { $kind ->
    [complaint] complaint
   *[other] request
} was withdrawn.
timeline-duplicate = The request was closed because it repeats an earlier request.
timeline-complaint-received = We received your complaint. We aim to close it by { $due }.
timeline-investigating = The department began to look into your complaint.
timeline-resolved = Your complaint was resolved.
timeline-referred = Your complaint was referred to another agency.
timeline-dismissed = Your complaint was closed without action.
timeline-rerouted = Your complaint was sent to { $department }, which handles this kind of matter.
timeline-back-to-received = Your request is waiting for review again.
timeline-you-wrote = You wrote to us.
timeline-you-sent-file = You sent us a file.
timeline-we-wrote = We wrote to you.
timeline-extended = We need more time, and will tell you our decision by { $due }.
timeline-produced-released = The records were released to you online.
timeline-produced-paper = The records were delivered on paper or other media.
timeline-produced-inspection = The records were made available for inspection in person.
timeline-reopened = More records are coming: we found that some were missing.
timeline-fee-estimated = We sent you an estimate of the fee for copies: { $total }.
timeline-fee-waived-whole = The fee for your copies was waived: there is nothing to pay.
timeline-fee-accepted = You accepted the fee estimate.
timeline-fee-declined = You declined the fee estimate: nothing is charged.
timeline-fee-paid = We received your payment of { $amount }.
timeline-fee-waived = We waived { $amount } of your fee.
timeline-fee-refunded = We refunded { $amount } to you.
timeline-assistance = We suggested records that may answer your request and how to focus it.
timeline-assistance-question = We suggested records that may answer your request, and asked you a question about it. Please answer below.
timeline-assigned = A member of staff is now handling your request.
timeline-documents-released = { $count ->
    [one] We released 1 document to you.
   *[other] We released { $count } documents to you.
}
timeline-downloaded = You downloaded { $title }.
timeline-key-collected = You collected your API key.
timeline-new-key-collected = You collected your new API key; the old one no longer works.
timeline-key-revoked = Your API key was turned off.
timeline-key-lost = You told us your API key was lost and asked for a new one.
timeline-new-key-ready = We made a new API key ready for you to collect.

## The stages of the tracking page's progress.

stage-received = Received
stage-under-review = Under review
stage-decided = Decided
stage-investigating = Being looked into
stage-closed = Closed
stage-review-requested = Review requested
stage-reviewed = Reviewed
stage-records-given = Records given

## What happens next, at the top of the tracking page.

next-received = We will review your request and tell you our decision by { $due }.
next-under-review = We are reviewing your request and will tell you our decision by { $due }.
next-records-given = The records have been given to you. If anything is missing, write to us below.
next-records-by = We will make the records available by { $by }. We will email you when they are ready.
next-records-soon = We will email you when the records are ready.
next-final = This decision is final: it was made on review. You may still write to us below.
next-may-appeal = If you disagree, you can ask for this decision to be reviewed by someone who did not make it, until { $by }.
next-write-to-us = You may write to us below.
next-appealed = A reviewer who did not make the decision will consider your request for a review by { $due }.
next-appeal-under-review = A reviewer is considering your request for a review and will decide by { $due }.
next-withdrawn = This { $kind ->
    [complaint] complaint
   *[other] request
} is withdrawn. Nothing more will happen on it.
next-complaint-received = The department will look at your complaint. We aim to close it by { $due }, and will write to you when anything changes.
next-complaint-investigating = The department is looking into your complaint. We aim to close it by { $due }.
next-complaint-resolved = Your complaint is closed: what the department found and did is below.
next-complaint-referred = Your complaint is closed here: another agency handles this matter, and we sent it to them.
next-complaint-dismissed = Your complaint is closed without action; the reason is below. You may file a new complaint at any time.
next-duplicate = This request asks for the same records as request { $original }, so it is closed and we will answer you on { $original }. Follow { $original } with the link we sent you for it, or find it with "Find your request".
next-awaiting-answer = We asked you a question on { $on }. Please answer by writing to us below: the sooner we hear from you, the better we can answer your request.

## Where a request stands, and what kind it is.

status-submitted = Received, waiting for review
status-under-review = Under review
status-granted = Granted
status-denied = Denied
status-no-records = No records found
status-appealed = Review requested, waiting for a reviewer
status-administrative-review = Appeal under review
status-withdrawn = Withdrawn
status-duplicate = Closed: repeats an earlier request
status-received = Received
status-investigating = Being looked into
status-resolved = Resolved
status-referred = Referred to another agency
status-dismissed = Closed without action

kind-public-records = Public records
kind-dataset-access = Access to a dataset
kind-api-access = API access
kind-complaint = Complaint

## The requester's API key, in a sentence.

key-offered = Your API key is ready for you to collect.
key-active = You have collected your API key, and it works.
key-revoked = Your API key has been turned off and no longer works.
key-expired = Your API key has expired and no longer works.

## The line shown once a requester's step is taken.

done-message = Your message was sent.
done-file = Your file was sent.
done-appeal = Your request for a review was received. A reviewer who had no part in the decision will consider it.
done-withdrawn = Your { $kind ->
    [complaint] complaint
   *[other] request
} is withdrawn.
done-key-lost = We have asked for a new API key for you. We will email you when it is ready; your key keeps working until you collect the new one.
done-fee-accepted = You accepted the fee estimate. We have told the staff handling your request.
done-fee-declined = You declined the fee estimate, so nothing is charged. We still release the records that need no payment.

## Withdrawing: the page that asks the requester to confirm.

withdraw-heading = Are you sure you want to withdraw your { $kind ->
    [complaint] complaint
   *[other] request
}?
withdraw-your-request = Your { $kind ->
    [complaint] complaint
   *[other] request
}
withdraw-your-reason = Your reason
withdraw-warning = We will stop working on it and close it for good. It cannot be reopened: { $kind ->
    [complaint] to complain about this again, you would make a new complaint.
   *[other] to ask for these records again, you would make a new request.
}
withdraw-confirm = Yes, withdraw my { $kind ->
    [complaint] complaint
   *[other] request
}
withdraw-back = No, go back to my { $kind ->
    [complaint] complaint
   *[other] request
}

## "Find your request": what is wrong with an answer.

find-tracking-number-missing = Enter your tracking number
find-tracking-number-invalid = Enter the tracking number as it is written in our emails, like RR-2026-00042
find-email-missing = Enter the email address you gave with your request
find-email-invalid = Enter an email address in the correct format, like name@example.com
find-too-many = Many requests were just made from your network. Please try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.

## The subjects of the letters to the requester (after the tracking number).

letter-kind-public-records = public records request
letter-kind-complaint = complaint
letter-kind-dataset-access = dataset access request
letter-kind-api-access = API access request

subject-acknowledgement = We received your { $kind }
subject-accepted = Your request is under review
subject-complaint-received = We received your complaint
subject-complaint-investigating = We are looking into your complaint
subject-complaint-resolved = Your complaint is resolved
subject-complaint-referred = Your complaint was referred to another agency
subject-complaint-dismissed = Your complaint is closed
subject-extended = We need more time: determination by { $due }
subject-granted = Your request is granted
subject-granted-in-part = Your request is granted in part
subject-denied = Your request is denied: your options
subject-no-records = We found no records for your request
subject-appeal-received = We received your appeal
subject-review-started = Your appeal is under review
subject-review-upheld = Appeal decided: the decision is upheld
subject-review-overturned = Appeal decided: the decision is overturned
subject-review-revised = Appeal decided: the decision is changed
subject-withdrawn = Your { $kind ->
    [complaint] complaint
   *[other] request
} is withdrawn
subject-duplicate = Your request is closed: it repeats an earlier request
subject-inspected = Your records were made available for inspection
subject-delivered = Your records were delivered
subject-reopened = More records are coming
subject-fee-estimate = The fee for your copies
subject-fee-waived-whole = No fee for your copies
subject-fee-receipt = Your receipt
subject-fee-waived = Part of your fee was waived
subject-fee-refunded = Your refund
subject-staff-message = A message about your { $kind ->
    [complaint] complaint
   *[other] request
}
subject-new-link = A new private link for your request
subject-link-resent = Your link to follow your request
subject-api-key-revoked = Your API key is revoked
subject-api-key-ready = Your new API key is ready to collect
subject-assistance = Help to find the records you are after
subject-assistance-question = A question about your request, and help to find the records
subject-records-released = { $count ->
    [one] Records released to you: 1 document
   *[other] Records released to you: { $count } documents
}
