// One schema for both backends, kept by hand in step with migrations/sqlite and
// migrations/postgres; tests/api/schema.rs checks it against both migrated databases.

diesel::table! {
    staff (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        department -> Nullable<Text>,
        password_hash -> Text,
        active -> Integer,
        created_at -> Timestamp,
        title -> Nullable<Text>,
    }
}

diesel::table! {
    staff_tokens (token_hash) {
        token_hash -> Text,
        staff_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_used_at -> Timestamp,
    }
}

diesel::table! {
    datasets (id) {
        id -> Text,
        title -> Text,
        steward_email -> Nullable<Text>,
        department -> Nullable<Text>,
        access_level -> Text,
        withdrawn -> Integer,
        updated_at -> Timestamp,
        description -> Text,
        keywords -> Text,
        publisher -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        license -> Nullable<Text>,
        rights -> Nullable<Text>,
        accrual_periodicity -> Nullable<Text>,
        modified -> Nullable<Text>,
        described_by -> Nullable<Text>,
        landing_page -> Nullable<Text>,
        distributions -> Text,
        content_hash -> Text,
        source -> Nullable<Text>,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    requesters (id) {
        id -> BigInt,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        organization -> Nullable<Text>,
        created_at -> Timestamp,
        postal_address -> Nullable<Text>,
        email_bounced_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    posted_letters (id) {
        id -> BigInt,
        request_id -> BigInt,
        event_seq -> BigInt,
        notice -> Text,
        posted_by -> BigInt,
        posted_at -> Timestamp,
    }
}

diesel::table! {
    requests (id) {
        id -> BigInt,
        tracking_number -> Text,
        kind -> Text,
        status -> Text,
        version -> Integer,
        requester_id -> BigInt,
        description -> Text,
        dataset_id -> Nullable<Text>,
        fields_needed -> Nullable<Text>,
        intended_use -> Nullable<Text>,
        preferred_format -> Nullable<Text>,
        queue -> Text,
        assignee_id -> Nullable<BigInt>,
        received_at -> Timestamp,
        determination_due -> Date,
        extension_days -> Nullable<Integer>,
        extension_circumstance -> Nullable<Text>,
        extension_reason -> Nullable<Text>,
        due_on -> Date,
        determined_by -> Nullable<BigInt>,
        decision_final -> Integer,
        appeal_deadline -> Nullable<Date>,
        appeal_grounds -> Nullable<Text>,
        appealed_at -> Nullable<Timestamp>,
        reviewer_id -> Nullable<BigInt>,
        withdraw_reason -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        audit_seq -> BigInt,
        audit_head -> Text,
        updated_at -> Timestamp,
        partial -> Integer,
        responsible_ids -> Text,
        records_due_at -> Nullable<Timestamp>,
        produced_at -> Nullable<Timestamp>,
        reopened -> Integer,
        due_reckoning -> Text,
        awaiting_requester_since -> Nullable<Timestamp>,
        channel -> Text,
        duplicate_of -> Nullable<Text>,
        follows -> Nullable<Text>,
        subject -> Nullable<Text>,
        location -> Nullable<Text>,
        occurred_on -> Nullable<Date>,
        referred_to -> Nullable<Text>,
        closing_note -> Nullable<Text>,
        language -> Text,
    }
}

diesel::table! {
    determinations (id) {
        id -> BigInt,
        request_id -> BigInt,
        stage -> Text,
        outcome -> Text,
        decision -> Nullable<Text>,
        reason -> Nullable<Text>,
        partial -> Integer,
        withheld -> Nullable<Text>,
        legal_basis -> Text,
        responsible -> Text,
        decided_by -> BigInt,
        decided_at -> Timestamp,
        withheld_items -> Text,
        segregability -> Nullable<Text>,
        search -> Nullable<Text>,
        records_due_at -> Nullable<Timestamp>,
        review -> Nullable<Text>,
    }
}

diesel::table! {
    requester_files (id) {
        id -> BigInt,
        request_id -> BigInt,
        message_id -> BigInt,
        title -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        content_type -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        request_id -> BigInt,
        author -> Text,
        staff_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        request_id -> BigInt,
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        content -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        request_id -> Nullable<BigInt>,
        notice -> Text,
        recipient -> Text,
        audience -> Text,
        payload -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        bounce -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (key) {
        key -> Text,
        fingerprint -> Text,
        request_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reminders (request_id, kind, due_on) {
        request_id -> BigInt,
        kind -> Text,
        due_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        request_id -> BigInt,
        key_hash -> Nullable<Text>,
        scopes -> Text,
        rate_limit -> Integer,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        replacement_asked_at -> Nullable<Timestamp>,
        replaces -> Nullable<BigInt>,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        request_id -> BigInt,
        kind -> Text,
        title -> Text,
        sha256 -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        content_type -> Nullable<Text>,
        url -> Nullable<Text>,
        redaction_note -> Nullable<Text>,
        exemption -> Nullable<Text>,
        added_by -> BigInt,
        added_at -> Timestamp,
        released_by -> Nullable<BigInt>,
        released_at -> Nullable<Timestamp>,
        public -> Integer,
    }
}

diesel::table! {
    link_tokens (id) {
        id -> BigInt,
        request_id -> BigInt,
        token_hash -> Text,
        outbox_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(link_tokens -> requests (request_id));
diesel::joinable!(api_keys -> requests (request_id));
diesel::joinable!(documents -> requests (request_id));
diesel::joinable!(staff_tokens -> staff (staff_id));
diesel::joinable!(requests -> requesters (requester_id));
diesel::joinable!(determinations -> requests (request_id));
diesel::joinable!(messages -> requests (request_id));
diesel::joinable!(requester_files -> requests (request_id));
diesel::joinable!(posted_letters -> requests (request_id));
diesel::joinable!(requester_files -> messages (message_id));
diesel::table! {
    inbound_mail (id) {
        id -> BigInt,
        message_key -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        received_at -> Timestamp,
        from_address -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        state -> Text,
        reason -> Nullable<Text>,
        request_id -> Nullable<BigInt>,
        message_id -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_events (id) {
        id -> BigInt,
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        content -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(audit_events -> requests (request_id));

diesel::table! {
    search_indexes (name) {
        name -> Text,
        filled_at -> Timestamp,
    }
}

diesel::table! {
    departments (id) {
        id -> BigInt,
        name -> Text,
        queue -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    department_names (folded) {
        folded -> Text,
        department_id -> BigInt,
        name -> Text,
        kind -> Text,
    }
}

diesel::table! {
    department_signers (department_id, staff_id) {
        department_id -> BigInt,
        staff_id -> BigInt,
    }
}

diesel::table! {
    holiday_changes (day) {
        day -> Date,
        closed -> Integer,
        name -> Nullable<Text>,
        changed_at -> Timestamp,
        changed_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    staff_links (token_hash) {
        token_hash -> Text,
        staff_id -> BigInt,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    admin_events (id) {
        id -> BigInt,
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        content -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    fee_estimates (id) {
        id -> BigInt,
        request_id -> BigInt,
        number -> Integer,
        status -> Text,
        lines -> Text,
        total_cents -> BigInt,
        note -> Nullable<Text>,
        issued_by -> BigInt,
        issued_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    fee_entries (id) {
        id -> BigInt,
        request_id -> BigInt,
        estimate_id -> BigInt,
        kind -> Text,
        amount_cents -> BigInt,
        method -> Nullable<Text>,
        reference -> Nullable<Text>,
        reason -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    publications (id) {
        id -> BigInt,
        request_id -> BigInt,
        status -> Text,
        summary -> Nullable<Text>,
        outcome -> Nullable<Text>,
        reason -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        changed_at -> Timestamp,
        staff_id -> BigInt,
    }
}

diesel::table! {
    document_texts (document_id) {
        document_id -> BigInt,
        status -> Text,
        body -> Nullable<Text>,
        note -> Nullable<Text>,
        characters -> BigInt,
        extracted_at -> Timestamp,
    }
}

diesel::joinable!(department_names -> departments (department_id));
diesel::joinable!(department_signers -> departments (department_id));
diesel::joinable!(department_signers -> staff (staff_id));
diesel::joinable!(staff_links -> staff (staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    staff,
    staff_tokens,
    datasets,
    counters,
    requesters,
    requests,
    determinations,
    messages,
    audit_events,
    outbox,
    idempotency_keys,
    reminders,
    api_keys,
    documents,
    link_tokens,
    requester_files,
    posted_letters,
    inbound_mail,
    mail_events,
    search_indexes,
    departments,
    department_names,
    department_signers,
    holiday_changes,
    staff_links,
    admin_events,
    fee_estimates,
    fee_entries,
    publications,
    document_texts,
);
