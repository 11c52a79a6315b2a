# The fixed text of the public pages (`templates/pages/*.html`), page by page. Staff pages stay
# in English in their templates. Messages hold no markup: a link or emphasis stays in the
# template, between two messages (docs/PRODUCT.md, "Wording").

## Every page's frame (base.html).

page-lang = en
# The language switch at the top of every public page: each language named in itself.
page-language-label = Language
page-language-english = English
page-language-spanish = Español
page-site-title = City of Concord public records
page-skip-to-content = Skip to main content
page-banner = An official service of the City of Concord, California
page-site-name = City of Concord · Public Records and Data Requests
page-nav-label = Main
page-nav-how = How it works
page-nav-catalog = Data catalog
page-nav-reading-room = Reading room
page-nav-new = Make a request
page-nav-find = Find your request
page-nav-staff = Staff sign in
page-footer-statistics = Public records statistics

## The home page (home.html).

page-home-title = Public records and data requests
page-home-heading = Ask the City of Concord for public records or data
page-home-anyone = Anyone may ask to see or get copies of the City's records, and ask for access to the City's open data and its APIs. You do not need an account, and you do not need to say why you want public records.
page-home-make = Make a request
page-home-or-browse = or { $catalog }
page-home-browse = browse the data catalog
page-home-already = Already made a request? Open it from the link in any of our emails, or { $find } with its tracking number and your email address.
page-home-find = find your request
page-home-what = What you can ask for
page-home-what-records = { $kind }: documents, emails, reports, logs, contracts, maps and other records the City keeps (California Public Records Act).
page-home-kind-records = Public records
page-home-what-dataset = { $kind }: a dataset from the City's open data portal that is restricted, or an extract of one.
page-home-kind-dataset = Access to a dataset
page-home-what-api = { $kind }: a key for a City data API, with the data and rate limit you need.
page-home-kind-api = API access
page-home-how = How it works
page-home-how-describe = You describe what you are looking for in the form. We email you a tracking number and a private link to follow your request.
page-home-how-review = The City Clerk (or the steward of the dataset you named) reviews it and may write to you with questions.
page-home-how-decide = Within { $days } calendar days we tell you whether we will provide the records. If that day falls on a weekend or a City holiday, the next business day. In unusual circumstances we may extend this once, by up to 14 days, and will tell you why.
page-home-how-appeal = If we deny your request we tell you why, under which law, and who decided. You may appeal within { $days } days; a reviewer who did not make the decision will consider it.
page-home-questions = Questions
page-home-write = Write to the City Clerk at { $email } or call { $phone }.

## After filing (filed.html).

page-filed-title = Request received
page-filed-number = Your tracking number is { $number }.
page-filed-due = We will tell you our determination by { $due }. We have emailed you the same link as below.
page-filed-link = Your private link
page-filed-use = Use this link to follow your request, write to us, appeal a denial or withdraw it. Keep it to yourself: anyone with it can see and act on your request.
page-filed-lost = Every email we send you about this request has a link like this one. If you lose them all, { $find } with its tracking number and your email address, and we will email you a new link.
page-filed-follow = Follow your request
page-filed-no-email = You gave no email address. The private link below is the only way to follow your request: we cannot send it to you again, and nobody at the City can look it up for you.
page-filed-due-no-email = We will tell you our determination by { $due }, on your request's page. Every letter about your request appears there, not in an email.
page-filed-keep = Bookmark the link, copy it somewhere safe, or write down the whole address now.
page-filed-reading-room = Records we release to you may later be published in the City's public reading room, without your name or contact details.

## Finding a request (find.html).

page-error-prefix = Error:{" "}
page-find-open = Open your request
page-find-title = Find your request
page-find-cannot = This browser cannot open this request. A request opens only from its private link, so that nobody else can see it.
page-find-use-email = To open it, use the link in any email we sent you about it. Each of our emails has one.
page-find-get-new = Get a new link by email
page-find-lost = Lost the link to your request? Give its tracking number and the email address you gave with it, and we will email you a new link.
page-find-number = Tracking number
page-find-number-hint = It is in the subject line of our emails, for example { $example }.
page-find-email = Email address
page-find-email-hint = The one you gave when you made the request.
page-find-send = Email me a new link
page-find-no-longer = If you no longer use that email address, write to us at { $email }, quoting your tracking number.
page-find-no-longer-call = If you no longer use that email address, write to us at { $email } or call { $phone }, quoting your tracking number.

## After asking for a new link (find_sent.html).

page-sent-title = Check your email
page-sent-if = If the tracking number and email address match a request, we have sent a new link to that email address. It should arrive within a few minutes.
page-sent-any-device = The link opens your request on any device. Your earlier links still work.
page-sent-none = If no email arrives
page-sent-spam = Check your spam or junk folder.
page-sent-check = Check that the tracking number and email address are the ones in our first email, and { $again }.
page-sent-try-again = try again
page-sent-contact = Contact us at { $email }, quoting your tracking number.

## Errors (error.html, error_summary.html, field.html).

page-error-home = Go to the home page
page-error-summary = There is a problem
page-field-required = (required)

## Confirming an action (confirm.html).

page-confirm-change = Go back and change it

## The API key, shown once (api_key.html).

page-key-title = Your API key
page-key-copy-now = Copy it now and keep it safe.
page-key-shown-once = We show it once, on this page only: the City keeps no copy it could show you again.
page-key-label = Your key (select it and copy it)
page-key-data = Data it opens
page-key-how-often = How often you may call
page-key-rate = Up to { $rate } requests an hour
page-key-stops = Stops working
page-key-no-expiry = It does not expire
page-key-how = How to use it
page-key-send = Send the key with every call to the City's data API, in the { $header } header, after the word { $word }. For example, with curl:
page-key-url = { $title } is at { $url }.
page-key-lose = If you lose it
page-key-lost = We cannot show this key again. If you lose it, choose "{ $lost }" on { $page }: we will give you a new one, and this one stops working when you collect it. If someone else may have it, say so there or write to us, and we will turn it off straight away.
page-key-lost-choice = Lost your API key?
page-key-request-page = your request's page
page-key-back = Back to your request

## A dataset (dataset.html) and the catalog (datasets.html).

page-not-stated = Not stated
page-dataset-withdrawn = This dataset is no longer listed in the City's catalog.
page-dataset-who = Who may use it
page-dataset-who-public = Anyone: the data is public.
page-dataset-who-restricted = Restricted: the City shares it on request, under conditions (for example, without personal details).
page-dataset-who-non-public = Not public: kept for the City's own use; a request for it may be refused, with reasons.
page-dataset-publisher = Published by
page-dataset-contact = Contact
page-dataset-updated = How often it is updated
page-dataset-changed = Last changed
page-dataset-licence = Licence
page-dataset-conditions = Conditions
page-dataset-fields = Fields
page-dataset-fields-link = What each field means
page-dataset-keywords = Keywords
page-dataset-portal = On the portal
page-dataset-portal-link = This dataset on the City's open data portal
page-dataset-downloads = Downloads and services
page-dataset-download-as = Download as { $format }
page-dataset-download = Download
page-dataset-ask = Ask for access
page-dataset-ask-text = Ask for access to restricted data, an extract, or an API key.
page-dataset-goes-to-steward-in = Your request goes to { $name } in { $department }, who looks after this dataset. You are told when it arrives and who is handling it.
page-dataset-goes-to-steward = Your request goes to { $name }, who looks after this dataset. You are told when it arrives and who is handling it.
page-dataset-goes-to-department = Your request goes to the { $department } department, which looks after this dataset. You are told when it arrives and who is handling it.
page-dataset-goes-to-clerk = Your request goes to the City Clerk, who finds the right person to answer it. You are told when it arrives and who is handling it.
page-dataset-request = Request access

page-datasets-intro = The City's datasets and APIs. Open one to read its details (how often it is updated, its license, its fields) and to ask its steward for access.
page-datasets-search-label = Search the catalog
page-datasets-search = Search
page-datasets-access = Access
page-datasets-any = Any
page-datasets-level-public = Public: anyone may use it
page-datasets-level-restricted = Restricted: shared on request
page-datasets-level-non-public = Not public: City use only
page-datasets-count = { $count ->
    [one] 1 dataset
   *[other] { $count } datasets
}
page-datasets-public = Public
page-datasets-non-public = Not public
page-datasets-updated = updated { $frequency }
page-pages-label = Pages
page-previous = Previous page
page-next = Next page
page-page-of = Page { $page } of { $pages }

## The request form's pages (request_form.html, request_form.rs).

page-form-title = { $heading } – Make a request
page-form-kind-hint = You do not need an account, and you do not need to say why you want public records.
page-form-kind-records-hint = Documents, emails, reports, logs, contracts, maps or other records the City keeps.
page-form-kind-dataset-hint = A dataset from the City's data catalog that is restricted, or an extract of one.
page-form-kind-api-hint = A key to call one of the City's data APIs.
page-form-continue = Continue
page-form-dataset = Dataset
page-form-another = Choose another dataset
page-form-find-dataset = Find the dataset
page-form-find-dataset-hint = Type words from its title, then choose it from the list.
page-form-no-dataset = No dataset has these words in its title. Try other words, or { $catalog }.
page-form-choose-dataset = Choose the dataset
page-form-details-use = We use these details only to answer this request.
page-form-change = Change
page-form-now-send = Now send your request
page-form-same-as = You already sent a request with this description on { $when } ({ $number }). Sending this one makes a second request.
page-form-same-as-follow = If you meant to send it once, follow the first one instead: { $request }.
page-form-no-email = You gave no email address, so we cannot write to you. After you send the request we show you its private link: it is the only way to follow your request, so keep it safe.
page-form-will-email = We will email a tracking number and a private link to { $email }. Make sure the address is right: it is where every notice about your request goes.
page-form-send = Send request
page-form-heading-kind = What are you asking for?
page-form-heading-records = Which records do you want?
page-form-heading-api = Which data do you want API access to?
page-form-heading-dataset = Which dataset do you want?
page-form-heading-about = How can we reach you?
page-form-heading-check = Check your answers before sending your request
page-form-optional = { $label } (optional)
page-form-description = Describe the records or data you want
page-form-description-hint = Be as specific as you can: subject, dates, places, people, departments.
page-form-fields = Fields or columns you need
page-form-fields-hint = Leave it empty if you need them all.
page-form-use = How you will use the data
page-form-use-hint = For example: a public map, research, an app. It helps the steward set the right terms.
page-form-format = How you would like the records
page-form-format-hint = For example PDF, spreadsheet, paper copies.
page-form-name = Your name
page-form-email = Your email address
page-form-email-hint = We send every notice about your request here, each with a private link to it.
page-form-email-hint-records = We send every notice about your request here, each with a private link to it. You may leave it empty and stay anonymous: the private link we show you after sending is then the only way to follow your request.
page-form-name-hint-records = You do not have to give your name to ask for public records.
page-form-phone = Phone number
page-form-phone-hint = Only if you would like us to be able to call you about this request.
page-form-organization = Organization
page-form-organization-hint = If you are asking for an organization, such as a newspaper or a company.
page-form-answer-kind = What you are asking for
page-form-not-given = Not given
page-form-this-answer = This answer
page-form-error-kind = Select what you are asking for
page-form-error-description = Describe the records or data you want
page-form-error-use = Say how you will use the data
page-form-error-dataset = Choose the dataset you want
page-form-error-dataset-unknown = Choose a dataset from the City's catalog
page-form-error-name = Enter your name
page-form-error-email = Enter your email address
page-form-error-email-format = Enter an email address in the correct format, like name@example.com
page-form-error-phone = Enter a telephone number, like (925) 671-3000
page-form-too-many = { $minutes ->
    [one] Many requests were just filed from your network. Please try again in 1 minute.
   *[other] Many requests were just filed from your network. Please try again in { $minutes } minutes.
}

## The tracking page (tracking.html, tracking.rs).

page-tracking-title = Request { $number }
page-tracking-stages = Where your request stands
page-tracking-stage-done = (done)
page-tracking-stage-now = (now)
page-tracking-kind = Kind
page-tracking-received = Received
page-tracking-reviewer-decides-by = The reviewer will decide by
page-tracking-decide-by = We will decide by
page-tracking-extension = Extension
page-tracking-extension-days = { $days ->
    [one] 1 day: { $why }
   *[other] { $days } days: { $why }
}
page-tracking-records-by = Records available by
page-tracking-records-produced = Records produced
page-tracking-review-by = Ask for a review by
page-tracking-handled-by = Handled by
page-tracking-office-department = The { $department } department, for the { $office }
page-tracking-asked = What you asked for
page-tracking-fields = Fields or columns
page-tracking-counted = How your due dates were counted
page-tracking-our-decision = Our decision: { $outcome }
page-tracking-review-decision = Review decision: { $outcome }
page-tracking-outcome-granted = granted
page-tracking-outcome-granted-in-part = granted in part
page-tracking-outcome-denied = denied
page-tracking-outcome-no-records = no records found
page-tracking-outcome-decided = decided
page-tracking-reasons = Our reasons:
page-tracking-withholding = What we are withholding, and why:
page-tracking-exemption = Exemption: { $citation }.
page-tracking-public-interest = Why withholding it serves the public interest more than disclosure: { $why }
page-tracking-withheld = Withheld:
page-tracking-legal-basis = Legal basis:
page-tracking-responsible = Responsible:
page-tracking-no-part = Why no part can be released:
page-tracking-searched = How and where we searched:
page-tracking-we-can-help = We can help you find what you are looking for (Government Code section 7922.600): write to us below, or call { $phone }.
page-tracking-key-ready = Your API key is ready: { $rate } requests per hour for { $datasets }. It is shown once, when you get it.
page-tracking-key-get = Get your API key
page-tracking-new-key-ready = You told us your API key was lost. Your new key is ready: { $rate } requests per hour for { $datasets }. It is shown once, when you get it. Getting it turns your old key off; until then the old key keeps working.
page-tracking-new-key-get = Get your new API key
page-tracking-key-stops = It stops working on { $on }.
page-tracking-key-asked = You told us on { $on } that your key was lost. We will email you when a new one is ready. Your key keeps working until you collect the new one.
page-tracking-key-lost-explain = We show a key only once, so we cannot show it again, but we can give you a new one. Your key keeps working until you collect the new one; then it is turned off.
page-tracking-what-happened = What happened?
page-tracking-what-happened-hint = For example: "I deleted it by mistake". If you think someone else has your key, say so and we will turn it off straight away.
page-tracking-ask-new-key = Ask for a new key
page-tracking-records = Records released to you
page-tracking-elsewhere = (a link to records kept elsewhere)
page-tracking-file = File
page-tracking-technical = Technical details
page-tracking-fingerprint = To check the file you downloaded is the one we released, its SHA-256 fingerprint is { $hash }.
page-tracking-redacted = Redacted or withheld:
page-tracking-exemption-label = Exemption:
page-tracking-timeline = Timeline
page-tracking-write = Write to us
page-tracking-your-message = Your message
page-tracking-send-message = Send message
page-tracking-send-file = Send us a file
page-filed-file = Do you have a file that would help?
page-filed-file-why = A letter you received, a photo of a sign, a list of addresses: if a document helps describe the records you want, send it with your request now. You can also send files later from your request's page.
page-tracking-file-label = Choose a file
page-tracking-file-hint = For example a letter, a photo or a spreadsheet that helps us find the records: { $types }, up to { $limit }. Staff handling your request see it; it is kept with your request.
page-tracking-file-message = What the file is
page-tracking-send-file-button = Send file
page-tracking-withdrawn-no-messages = This request is withdrawn, so messages can no longer be sent here. To ask about it, email the City Clerk's office and quote { $number }, or make a new request.
page-tracking-closed-no-messages = This request is closed, so messages can no longer be sent here. To ask about it, email the City Clerk's office and quote { $number }, or make a new request.
page-tracking-ask-review = Ask for a review
page-tracking-review-explain = If you think our decision is wrong, you may ask the City to review it. A reviewer who did not make the decision and is not named in it will consider it. The review is optional: you may instead, or also, ask a court to order the records disclosed (Government Code section 7923.000 and following).
page-tracking-grounds = Why the decision should be reviewed
page-tracking-withdraw = Withdraw this request
page-tracking-reason = Reason
page-tracking-withdraw-button = Withdraw
page-tracking-not-taken = This step was not taken

## Error pages (problem.rs).

page-problem-not-found = Page not found
page-problem-not-found-text = There is no such page, or the link is not valid. If you followed the private link from one of our emails, check that you used all of it.
page-problem-forbidden = Not allowed
page-problem-gone = This link no longer works
page-problem-wait = Please wait
page-problem-failed = Something went wrong
page-problem-internal = Something went wrong on our side. It has been logged; please try again.
page-problem-stale-form = This form has expired or did not come from this site. Go back, reload the page and try again.
page-problem-stale = Someone else changed this request while you had it open. Here it is as it stands now; please check and try again.

## The frame's links for signed-in staff (base.html); staff read English.

page-staff-nav-queue = Queue
page-staff-nav-notices = Failed notices
page-staff-nav-reports = Reports
page-staff-nav-admin = Administration
page-staff-signed-in = Signed in as { $name }
page-staff-sign-out = Sign out

## Complaints: the form (complaint_form.html, complaint_form.rs), the confirmation (filed.html),
## the tracking page (tracking.html) and the home page's section (home.html).

page-complaint-heading = Make a complaint
page-complaint-heading-check = Check your answers before sending your complaint
page-complaint-title = { $heading } – Make a complaint
page-complaint-intro = { $days ->
    [one] Tell us about a matter the City should look into, such as a blocked sidewalk or an unpermitted fence, or about how the City handled your records request. The department you choose looks into it, and we aim to close your complaint within 1 day.
   *[other] Tell us about a matter the City should look into, such as a blocked sidewalk or an unpermitted fence, or about how the City handled your records request. The department you choose looks into it, and we aim to close your complaint within { $days } days.
}
page-complaint-not-records = To ask for documents or data the City keeps, { $request } instead.
page-complaint-make-request = make a public records request
page-complaint-department = Which department is your complaint for?
page-complaint-department-hint = Choose the department that handles the matter. If you are not sure, choose the closest one: staff pass complaints on to the right department.
page-complaint-subject = What is your complaint about?
page-complaint-subject-hint = In a few words, for example: blocked sidewalk on Galindo Street.
page-complaint-description = What happened?
page-complaint-description-hint = Say what you saw or what went wrong, and what you would like the department to do.
page-complaint-location = Where did it happen?
page-complaint-location-hint = An address, a place or a web page.
page-complaint-when = When did it happen, or when did you notice it?
page-complaint-when-hint = For example, 3 27 2026.
page-complaint-month = Month
page-complaint-day = Day
page-complaint-year = Year
page-complaint-contact = Your contact details (optional)
page-complaint-contact-hint = You may leave them all blank and stay anonymous. After you send your complaint we show you a private link to follow it.
page-complaint-contact-no-email = Without an email address we send you no emails: every letter about your complaint appears only on its page, through that link.
page-complaint-email-hint = We send every letter about your complaint here, each with a private link to it.
page-complaint-phone-hint = Only if you would like the department to be able to call you about your complaint.
page-complaint-answer-department = Department
page-complaint-answer-subject = What it is about
page-complaint-answer-description = What happened
page-complaint-answer-location = Where
page-complaint-answer-when = When it happened or was noticed
page-complaint-answer-name = Name
page-complaint-answer-email = Email address
page-complaint-answer-phone = Phone number
page-complaint-now-send = Now send your complaint
page-complaint-no-email = You gave no email address, so we cannot write to you. After you send the complaint we show you its private link: it is the only way to follow your complaint and read the department's letters, so keep it safe.
page-complaint-will-email = We will email a tracking number and a private link to { $email }. Make sure the address is right: every letter about your complaint goes there.
page-complaint-send = Send complaint
page-complaint-noun-subject = What your complaint is about
page-complaint-noun-description = What happened
page-complaint-noun-location = Where it happened
page-complaint-noun-name = Your name
page-complaint-noun-email = Your email address
page-complaint-noun-phone = Your phone number
page-complaint-error-department = Select the department your complaint is for
page-complaint-error-department-unknown = Select one of the departments in the list
page-complaint-error-subject = Enter what your complaint is about
page-complaint-error-description = Enter what happened
page-complaint-error-date-missing = { $missing ->
    [day] The date must include a day
    [year] The date must include a year
    [month-day] The date must include a month and a day
    [month-year] The date must include a month and a year
    [day-year] The date must include a day and a year
   *[month] The date must include a month
}
page-complaint-error-date-year = The year must include 4 numbers
page-complaint-error-date-real = The date must be a real date
page-complaint-error-date-future = The date must be today or in the past
page-complaint-error-date-old = { $years ->
    [one] The date must be within the last year
   *[other] The date must be within the last { $years } years
}
page-complaint-error-too-long = { $what } must be { $max } characters or fewer

page-complaint-filed-title = Complaint sent
page-complaint-filed-due = The department will look into it. We aim to close it by { $due }, and we will email you when anything changes. We have emailed you the same link as below.
page-complaint-filed-due-no-email = The department will look into it. We aim to close it by { $due }. Every letter about your complaint appears on its page, not in an email.
page-complaint-filed-no-email = You gave no email address. The private link below is the only way to follow your complaint: we cannot send it to you again, and nobody at the City can look it up for you.
page-complaint-filed-use = Use this link to follow your complaint, write to the department or withdraw it. Keep it to yourself: anyone with it can see and act on your complaint.
page-complaint-filed-lost = Every email we send you about this complaint has a link like this one. If you lose them all, { $find } with its tracking number and your email address, and we will email you a new link.
page-complaint-filed-find = ask for a new link
page-complaint-filed-follow = Follow your complaint
page-complaint-filed-file = Do you have a photo or a file that would help?
page-complaint-filed-file-why = A photo of the problem, a letter you received, a map: if a file helps show what happened, send it with your complaint now. You can also send files later from your complaint's page.
page-complaint-file-hint = For example a photo, a letter or a map that shows what happened: { $types }, up to { $limit }. Staff handling your complaint see it; it is kept with your complaint.

page-complaint-tracking-title = Complaint { $number }
page-complaint-tracking-stages = Where your complaint stands
page-complaint-tracking-close-by = We aim to close it by
page-complaint-tracking-department = Department
page-complaint-tracking-yours = Your complaint
page-complaint-tracking-counted = How we counted the date we aim to close it by
page-complaint-tracking-resolved = What the department found and did
page-complaint-tracking-referred = Referred to another agency
page-complaint-tracking-referred-to = We sent your complaint to { $agency }, which handles this matter.
page-complaint-tracking-dismissed = Why your complaint was closed
page-complaint-tracking-documents = Files the department sent you
page-complaint-tracking-withdrawn-no-messages = This complaint is withdrawn, so messages can no longer be sent here. To ask about it, email the City Clerk's office and quote { $number }, or make a new complaint.
page-complaint-tracking-closed-no-messages = This complaint is closed, so messages can no longer be sent here. To ask about it, email the City Clerk's office and quote { $number }, or make a new complaint.
page-complaint-tracking-withdraw = Withdraw this complaint

page-complaint-home-who = { $days ->
    [one] Something the City should look into, such as a blocked sidewalk or a noisy building site, or unhappy with how we handled your records request? Your complaint goes to the City department you choose, whose staff look into it. We aim to close it within 1 day, and you may complain without giving your name.
   *[other] Something the City should look into, such as a blocked sidewalk or a noisy building site, or unhappy with how we handled your records request? Your complaint goes to the City department you choose, whose staff look into it. We aim to close it within { $days } days, and you may complain without giving your name.
}
page-complaint-home-make = Make a complaint to a City department

## The fee for copies (docs/PRODUCT.md, "Fees"): the tracking page's section on it
## (tracking.html, fee_lines.html, fee_money.html) and the invoice and receipt to print
## (fee_document.html).

page-fee-heading = The fee for your copies
page-fee-estimate-label = Estimate
page-fee-estimate-standing = Estimate { $number }: { $standing }
page-fee-status-awaiting = Waiting for your answer
page-fee-status-accepted = Accepted
page-fee-status-declined = Declined: nothing is charged
page-fee-status-waived = Waived: nothing to pay
page-fee-status-replaced = Replaced by a newer estimate
page-fee-lines-caption = What the copies cost (estimate { $number })
page-fee-col-what = What
page-fee-col-quantity = How many
page-fee-col-price = Price
page-fee-col-amount = Amount
page-fee-col-why = What the law allows
page-fee-col-receipt = Receipt number
page-fee-col-date = Date
page-fee-col-details = Details
page-fee-each = { $price } each
page-fee-hourly = { $price } an hour
page-fee-minutes = { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
page-fee-rule-duplication = The direct cost of making the copy ({ $citation })
page-fee-rule-statutory-fee = A fee set by law or by the City's fee schedule ({ $citation })
page-fee-rule-electronic-copy = The direct cost of producing the electronic copy ({ $citation })
page-fee-rule-programming = The programming or data work your request needs to produce the copy ({ $citation })
page-fee-basis-compilation = The law allows this charge because your request needs data to be compiled or extracted, or a program written, to produce the copy.
page-fee-basis-outside-schedule = The law allows this charge because the record is otherwise produced only at regularly scheduled times.
page-fee-total = Total
page-fee-note = A note from us
page-fee-waived = Waived
page-fee-paid = Paid
page-fee-refunded = Refunded
page-fee-balance = Still to pay
page-fee-to-pay-if-accepted = To pay if you accept
page-fee-owed-back = We owe you
page-fee-nothing = Nothing
page-fee-money = Payments, waivers and refunds
page-fee-kind-payment = Payment
page-fee-kind-waiver = Waiver
page-fee-kind-refund = Refund
page-fee-method-cash = Cash
page-fee-method-check = Check
page-fee-method-card = Card
page-fee-automatic = Under the amount the City charges, so waived by its fee schedule
page-fee-next-awaiting = Please tell us below whether you accept this estimate of { $total }.
page-fee-next-accepted = You accepted this estimate. Please pay { $balance }.
page-fee-next-paid = You accepted this estimate, and it is paid in full. Thank you.
page-fee-next-declined = You declined this estimate, so nothing is charged. We still release the records that need no payment, and you may inspect the records in person free of charge.
page-fee-next-waived = The fee was waived: you have nothing to pay.
page-fee-next-owed-back = We owe you { $amount }, and will refund it to you.
page-fee-decline-means = If you decline it, nothing is charged: we still release the records that need no payment, and you may inspect the records in person free of charge.
page-fee-paper-waits = We hand over paper copies once they are paid for. Records we send electronically, and inspecting records, never wait for payment.
page-fee-how-to-pay = How to pay
page-fee-quote-number = Please quote your tracking number, { $number }, when you pay.
page-fee-answer = Do you accept this estimate?
page-fee-accept = Accept the estimate
page-fee-accept-hint = You will pay { $total } for your copies.
page-fee-decline = Decline the estimate
page-fee-decline-hint = Nothing is charged. We still release the records that need no payment, and you may inspect the records free of charge.
page-fee-send-answer = Send your answer
page-fee-choose = Choose whether you accept or decline the estimate
page-fee-answered-already = This estimate was already answered, or a newer one took its place: this page shows where it stands now.
page-fee-no-estimate = There is no fee estimate waiting for your answer on this request.
page-fee-earlier = Earlier estimates
page-fee-earlier-line = Estimate { $number } ({ $total }) was replaced by a newer one.
page-fee-print-invoice = Print the invoice
page-fee-print-receipt = Print a receipt
page-fee-invoice = Invoice
page-fee-receipt = Receipt
page-fee-document-title = { $document } for request { $number }
page-fee-back = Back to request { $number }
page-fee-print-hint = To print this page, or save it as a PDF, use your browser's Print command. Only the part below is printed.
page-fee-date = Date
page-fee-request = Request
page-fee-for = For
page-fee-no-entries = No payment, waiver or refund has been recorded yet.
page-fee-none = No fee has been estimated for request { $number }.

## Letters (letters.html, decision_letter.html, the tracking page's link).

page-letters-heading = Letters
page-letters-intro = Every email we sent you about this request is also a signed letter on the City's letterhead. You can print each one or download it as a PDF.
page-letters-link = Your letters about this request
page-letters-title = Letters about request { $number }
page-letters-none = There are no letters about this request yet.
page-letters-caption = Letters, oldest first
page-letters-col-date = Date
page-letters-col-letter = Letter
page-letters-col-copies = Copies
page-letters-print = Print
page-letters-pdf = Download PDF
page-letters-pdf-label = Download PDF: { $letter }
page-letters-print-label = Print: { $letter }
page-letters-back = Back to the letters
page-letters-print-hint = To print this letter, use your browser's Print command. Only the letter is printed.
page-letter-tracking-number = Tracking number
page-letter-to = To
page-letter-closing = Sincerely,
page-letter-page-of = Page { $page } of { $pages }
page-letter-original-link = Read the English original of this letter (the legally binding text)
page-letter-original-note = This is the English original of a letter we sent you in another language. The English text is the legally binding one.
page-letter-original-note-staff = This is the English original of a letter sent to the requester in another language. The English text is the legally binding one.
page-letter-as-sent = Read the letter as we sent it

## The reading room (reading_room.html, reading_room_item.html, the feed).

page-reading-room-title = Reading room
page-reading-room-intro = Records the City has released in answer to public records requests, published for everyone. Each item says what was asked for, what was decided and the records released. The names and contact details of the people who asked are never published.
page-reading-room-search-label = Search the reading room
page-reading-room-search = Search
page-reading-room-department = Department
page-reading-room-year = Year published
page-reading-room-outcome = Outcome
page-reading-room-any = Any
page-reading-room-granted = Granted in full
page-reading-room-granted-in-part = Granted in part
page-reading-room-count = { $count ->
    [one] 1 item
   *[other] { $count } items
}
page-reading-room-published-on = published { $date }
page-reading-room-feed = Follow new items (Atom feed)
page-reading-room-export = Download the whole reading room:
page-reading-room-export-items = every item (CSV)
page-reading-room-export-documents = every document (CSV)
page-reading-room-export-json = everything (JSON)
page-reading-room-back = All items in the reading room
page-reading-room-received = Request received
page-reading-room-decided = Decided
page-reading-room-produced = Records produced
page-reading-room-published = Published
page-reading-room-decision = The decision
page-reading-room-documents = Records released
page-reading-room-no-documents = The records were delivered on paper or inspected in person: there are no files to download.
page-reading-room-withdrawn = This item was withdrawn from the reading room.

## A step the requester took from their pages, refused (src/web/pages/public/refusals.rs).

refusal-not-now = This can no longer be done: your request has moved on since this page was opened. The page shows where it stands now.
refusal-final = This decision was made on appeal and is final: it cannot be appealed again.
refusal-nothing-withheld = Your request was granted in full: nothing was withheld, so there is nothing to appeal.
refusal-appeal-closed = The time to appeal ended on { $date }.
refusal-withdrawn = You withdrew this request, so it takes no more messages. To ask about it, write to the City Clerk's office.
refusal-closed = This request is closed: it was decided for good and its records were delivered. To ask about it, write to the City Clerk's office, or file a new request.
refusal-complaint-closed = This complaint is closed. Write to the City Clerk's office by email, or file a new complaint.
refusal-messages-full = This request has reached its limit of { $limit } messages. Write to the City Clerk's office by email.
refusal-no-key = No API key has been granted for this request.
refusal-key-not-replaceable = You can ask for a new API key only while the key you collected still works, and only once.
refusal-key-gone = This API key was already collected (it is shown only once), or it was revoked or has expired. If you need a new one, ask for it on this page.
refusal-too-many = You have sent many messages on this request in the last hour. Please wait { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } before you send another.
refusal-empty = Write something here.
refusal-empty-grounds = Say why the decision should be reconsidered.
refusal-empty-lost-reason = Say why you need a new key.
refusal-too-long = Write { $max } characters or fewer (you wrote { $has }).
refusal-control-characters = Remove the control characters from what you wrote.
