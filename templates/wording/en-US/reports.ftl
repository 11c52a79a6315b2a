# The public records and complaints statistics (`/reports`, and for staff `/staff/reports`): the page
# (`templates/pages/reports.html`), the figures' sections and tables
# (`src/web/pages/reports.rs`) and the labels of their charts (`src/web/pages/charts.rs`).
# Messages hold no markup: the page puts its bold values and links in place. The CSV download
# keeps its machine words and is not translated.

## The page and its period form.

page-reports-title = Public records statistics
# The same page's name for staff, who reach it from their own menu.
page-reports-staff-title = Reports
page-reports-intro = How many public records and data access requests the City received, how quickly it answered them, and how often it extended, denied or was asked to review a decision; and how many complaints it received and how it closed them. Only totals are shown: no names, addresses, request or complaint text.
page-reports-form-label = Report period
page-reports-from = From
page-reports-to = To
page-reports-date-hint = YYYY-MM-DD
page-reports-queue = Queue
page-reports-queue-optional = Queue (optional)
page-reports-show = Show
page-reports-queue-too-long = A queue name is at most { $chars } characters of text.

## The period shown, above the figures. { $period } is page-reports-period.

page-reports-received = Requests received from { $period }, as they stand today.
page-reports-received-in-queue = Requests received from { $period } in the queue { $queue }, as they stand today.
page-reports-period = { $from } to { $to }
page-reports-download = Download these figures (CSV)

## Dates: { $month } is the month's number, 1 to 12.

page-reports-date = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $day }, { $year }
page-reports-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }

## Each figure's table and chart.

page-reports-none = None in this period.
page-reports-chart = Bar chart: { $title }. The table beside it has the same numbers.
page-reports-requests = Requests
page-reports-figure = Figure
page-reports-value = Value

## Requests received.

page-reports-by-month = Requests received by month
page-reports-by-year = Requests received by year
page-reports-received-count = Requests received in the period: { $count }.
page-reports-month-heading = Month
page-reports-year-heading = Year
page-reports-by-kind = Requests received by kind
page-reports-kind = Kind
page-reports-open = Still open, by status
page-reports-open-intro = Requests received in the period that are still open today.
page-reports-status = Status

## Determinations on time. { $days } is the number of calendar days the law allows.

page-reports-on-time-title = Determinations on time
page-reports-on-time-intro = On time means the first determination was made on or before the due date: { $days } calendar days after receipt (moved to the next business day), or the extended date. Days to determination count calendar days from the day a request was received to the day it was determined; percentiles are nearest-rank. Not yet determined and already past due today: { $overdue }.
page-reports-determined = Determined
page-reports-on-time = On time
page-reports-late = Late
page-reports-share-on-time = Share on time
page-reports-median-days = Median days to determination
page-reports-ninetieth = 90th percentile, days
page-reports-overdue-today = Open and past due today

## Extensions, by the reason the law allows.

page-reports-extensions = Extensions by statutory reason
page-reports-extensions-intro = Deadlines extended: { $count }.
page-reports-reason = Reason
page-reports-extensions-heading = Extensions
page-reports-field-facilities = Records in field facilities
page-reports-voluminous-records = Voluminous records
page-reports-consultation = Consultation with another agency or department
page-reports-data-compilation = Compiling data or writing a program
page-reports-state-of-emergency = A state of emergency

## Records withheld.

page-reports-withholdings = Records withheld, by exemption
page-reports-withholdings-intro = At the first determination: { $denied } denied, { $partial } granted in part, { $none } answered that the City holds no responsive records. A determination citing several exemptions counts once under each.
page-reports-exemption = Exemption
page-reports-determinations = Determinations

## Records produced. { $median } and { $ninetieth } are page-reports-days or page-reports-none-yet.

page-reports-production = Records produced after a grant
page-reports-production-intro = Grants: { $granted }. Days from the grant to the records being produced (released, delivered or inspected): median { $median }, 90th percentile { $ninetieth }.
page-reports-days = { $days ->
    [one] 1 day
   *[other] { $days } days
}
page-reports-none-yet = none yet
page-reports-produced = Produced
page-reports-awaiting = Awaiting production
page-reports-reopened = Reopened: the records were incomplete

## Appeals.

page-reports-appeals = Appeals and their outcomes
page-reports-appeals-intro = Decisions appealed: { $count }.
page-reports-outcome = Outcome
page-reports-appeals-heading = Appeals
page-reports-pending = Pending
page-reports-overturned = Overturned: more released
page-reports-upheld = Upheld
page-reports-revised = Changed without more released
page-reports-withdrawn = Withdrawn after appeal

## The table by queue: its column headings also label each cell on a phone.

page-reports-by-queue = By queue
page-reports-by-queue-caption = Requests received in the period, by queue
page-reports-queue-received = Received
page-reports-queue-open = Open
page-reports-queue-determined = Determined
page-reports-queue-on-time = On time
page-reports-queue-median = Median days
page-reports-queue-ninetieth = 90th percentile, days
page-reports-queue-overdue = Open and past due
page-reports-no-requests = No requests in this period.

## Complaints: counted apart from the requests. { $days } is the City's service target in
## calendar days.

page-reports-complaints = Complaints
page-reports-complaints-intro = Complaints to City departments are counted here, not in the request figures above. Received and still open count the complaints received in the period; closed counts the complaints closed in the period, whenever they were received. A complaint has no legal deadline: its target is the City's own, { $days } calendar days after receipt (moved to the next business day).
page-reports-complaints-heading = Complaints
page-reports-complaints-received-title = Complaints received and still open
page-reports-complaints-received = Received in the period
page-reports-complaints-open = Of those, still open today
page-reports-complaints-outcomes = Complaints closed, by outcome
page-reports-complaints-outcomes-intro = Complaints closed in the period: { $count }.
page-reports-complaints-resolved = Resolved
page-reports-complaints-referred = Referred to another agency
page-reports-complaints-dismissed = Closed without action
page-reports-complaints-withdrawn = Withdrawn by the complainant
page-reports-complaints-on-target-title = Complaints closed on target
page-reports-complaints-on-target-intro = Of the complaints the City closed in the period: resolved, referred or closed without action, not those withdrawn. On target means closed on or before the target date. Days to close count calendar days from the day a complaint was received to the day it was closed; percentiles are nearest-rank.
page-reports-complaints-closed-by-city = Closed by the City
page-reports-complaints-on-target = On target
page-reports-complaints-late = Late
page-reports-complaints-share-on-target = Share on target
page-reports-complaints-median-days = Median days to close
page-reports-complaints-overdue-today = Received in the period, open and past target today

## Complaints by department (staff only): its column headings also label each cell on a phone.

page-reports-complaints-by-department = Complaints by department
page-reports-complaints-by-department-caption = Complaints by department
page-reports-complaints-by-department-intro = Each complaint counts under the department it is with now. Received and open: of the complaints received in the period. Resolved, referred, closed without action and withdrawn: of the complaints closed in the period.
page-reports-department = Department
page-reports-department-resolved = Resolved
page-reports-department-referred = Referred
page-reports-department-dismissed = Closed without action
page-reports-department-withdrawn = Withdrawn
page-reports-no-complaints = No complaints in this period.

## Fees (staff only): money, in US dollars. Its tables' column headings also label each cell on
## a phone.

page-reports-fees = Fees
page-reports-fees-intro = The fees for copies of records, in US dollars. Unlike the request figures above, these count money by when it changed hands, whenever its request was received: estimated is the total of the estimates issued in the period, not counting an estimate later replaced by a new one; collected, waived and refunded are the payments, waivers (an estimate under the City's threshold is waived whole when it is made) and refunds recorded in the period. Net collected is collected less refunded. Months are the City's calendar months; each queue is the queue of the request the fee is on.
page-reports-fees-totals = Fees in the period
page-reports-fees-amount = Amount (US dollars)
page-reports-fees-estimated = Estimated
page-reports-fees-collected = Collected
page-reports-fees-waived = Waived
page-reports-fees-refunded = Refunded
page-reports-fees-net = Net collected
page-reports-fees-by-month = Fees by month (US dollars)
page-reports-fees-by-year = Fees by year (US dollars)
page-reports-fees-by-queue = Fees by queue (US dollars)
page-reports-no-fees = No fees in this period.
