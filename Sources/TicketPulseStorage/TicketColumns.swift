/// The `tickets` table's columns, in the order every backend binds and decodes them: both
/// schemas hold the same columns, so the SQL that names them is the same text.
package enum TicketColumns {
    package static let names = [
        "source", "external_id", "customer_id", "match_rule", "subject", "description", "status",
        "priority", "category", "tags", "requester_email", "assignee", "created_at", "updated_at",
        "first_response_at", "solved_at", "closed_at", "csat_score", "csat_raw", "csat_comment", "csat_at",
        "escalated", "escalation_reason", "escalation_level", "escalated_at", "reopen_count",
        "first_response_due_at", "resolution_due_at", "organization_id",
    ]

    /// `id` followed by `names`, for SELECTs.
    package static let selection = "id, " + names.joined(separator: ", ")

    /// `selection` with the text nothing that counts metrics reads left out (subject,
    /// description, tags, requester, assignee, match rule: empty or nil in the decoded
    /// ticket), for `metricsInput`: a portfolio's period is thousands of rows, and copying
    /// their descriptions was most of reading them. Decoded as `selection` is.
    package static let metricsSelection = "id, " + names.map { column in
        switch column {
        case "subject", "description", "tags": "''"
        case "match_rule", "requester_email", "assignee", "organization_id": "NULL"
        default: column
        }
    }.joined(separator: ", ")

    /// `selection` without the description, for the detectors' `activity`: they read
    /// subjects only, and leaving the long texts out keeps a full pass over a large store cheap.
    package static let activitySelection = "id, " + names.map { $0 == "description" ? "''" : $0 }.joined(separator: ", ")

    /// `metricsSelection` with the subject kept, for `ticketsCreated`: what a question about
    /// one period's volume shows (categories, and the themes of the subjects).
    package static let subjectSelection = "id, " + names.map { column in
        switch column {
        case "description", "tags": "''"
        case "match_rule", "requester_email", "assignee", "organization_id": "NULL"
        default: column
        }
    }.joined(separator: ", ")

    /// `selection` with only what CSAT figures read (the rating, its time, the ticket's
    /// customer, status and creation; every other column empty or nil), for `ratedTickets`:
    /// all of it is in the index `tickets_customer_rated`, so that the rows are read from it.
    package static let ratingSelection = "id, " + names.map { column in
        switch column {
        case "customer_id", "status", "created_at", "csat_score", "csat_at": column
        case "source", "external_id", "subject", "description", "priority", "category", "tags": "''"
        // False in both dialects (SQLite's 0, PostgreSQL's boolean).
        case "escalated": "(1 = 0)"
        case "reopen_count": "0"
        default: "NULL"
        }
    }.joined(separator: ", ")
}
