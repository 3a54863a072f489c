//! The database schema, written once with portable column types for both backends (Text ids and
//! enums, BigInt counters and money, Bool, Timestamp in UTC). Kept in step with both
//! `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        email_verified_at -> Nullable<Timestamp>,
        phone_verified_at -> Nullable<Timestamp>,
        password_hash -> Text,
        display_name -> Text,
        totp_secret_enc -> Nullable<Text>,
        totp_enabled -> Bool,
        totp_last_step -> Nullable<BigInt>,
        privacy_policy_version -> Text,
        privacy_accepted_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        referral_code -> Nullable<Text>,
        referred_by -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (scope, idem_key) {
        scope -> Text,
        idem_key -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_headers -> Text,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        dedupe_key -> Nullable<Text>,
        status -> Text,
        run_at -> Timestamp,
        attempts -> BigInt,
        last_error -> Nullable<Text>,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    test_clock (id) {
        id -> Integer,
        offset_micros -> BigInt,
    }
}

diesel::table! {
    password_change_required (user_id) {
        user_id -> Text,
        since -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_codes (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        destination -> Text,
        code_hash -> Text,
        attempts -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> Text,
        channel -> Text,
        destination -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        code_id -> Nullable<Text>,
    }
}

diesel::table! {
    community_events (id) {
        id -> Text,
        group_id -> Text,
        title -> Text,
        description -> Text,
        kind -> Text,
        status -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        online_link -> Nullable<Text>,
        venue -> Nullable<Text>,
        capacity -> BigInt,
        host_id -> Text,
        created_by -> Text,
        summary -> Nullable<Text>,
        summarised_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        signup_version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_signups (event_id, user_id) {
        event_id -> Text,
        user_id -> Text,
        status -> Text,
        signed_up_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    polls (id) {
        id -> Text,
        group_id -> Text,
        question -> Text,
        options -> Text,
        multiple -> Bool,
        anonymous -> Bool,
        deadline -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    poll_voters (poll_id, user_id) {
        poll_id -> Text,
        user_id -> Text,
        choices -> Nullable<Text>,
        voted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    poll_ballots (id) {
        id -> Text,
        poll_id -> Text,
        choices -> Text,
    }
}

diesel::table! {
    shared_resources (id) {
        id -> Text,
        group_id -> Text,
        name -> Text,
        source -> Text,
        scenario -> Text,
        category -> Text,
        link -> Nullable<Text>,
        file_sha256 -> Nullable<Text>,
        sharer_id -> Text,
        status -> Text,
        rating_sum -> BigInt,
        rating_count -> BigInt,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
    }
}

diesel::table! {
    resource_ratings (resource_id, user_id) {
        resource_id -> Text,
        user_id -> Text,
        stars -> Integer,
        rated_at -> Timestamp,
    }
}

diesel::table! {
    resource_comments (id) {
        id -> Text,
        resource_id -> Text,
        author_id -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rewards (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        cost -> BigInt,
        stock -> BigInt,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reward_redemptions (id) {
        id -> Text,
        reward_id -> Text,
        user_id -> Text,
        cost -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
    }
}

diesel::table! {
    point_balances (user_id) {
        user_id -> Text,
        balance -> BigInt,
    }
}

diesel::table! {
    group_feedback (id) {
        id -> Text,
        group_id -> Text,
        score -> Integer,
        body -> Text,
        week -> Text,
    }
}

diesel::table! {
    feedback_senders (group_id, user_id, week) {
        group_id -> Text,
        user_id -> Text,
        week -> Text,
    }
}

diesel::table! {
    surveys (id) {
        id -> Text,
        group_id -> Text,
        title -> Text,
        description -> Text,
        questions -> Text,
        deadline -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    survey_respondents (survey_id, user_id) {
        survey_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Text,
        survey_id -> Text,
        answers -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(one_time_codes -> users (user_id));

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        id -> Text,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        actor_label -> Text,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        details -> Text,
        ip -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        short_name -> Nullable<Text>,
        uscc -> Text,
        roles -> Text,
        region_code -> Text,
        address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        categories -> Text,
        regions_served -> Text,
        declared_capacity_fen -> Nullable<BigInt>,
        verification_status -> Text,
        suspended_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        suspension_reason -> Nullable<Text>,
        membership_tier -> Text,
        credit_score -> Nullable<Double>,
        credit_grade -> Nullable<Text>,
        membership_held -> Bool,
        membership_since -> Nullable<Timestamp>,
        advisor_id -> Nullable<Text>,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        org_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        org_id -> Text,
        invitee_user_id -> Text,
        role -> Text,
        invited_by -> Text,
        status -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(memberships -> organisations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(invitations -> organisations (org_id));

diesel::table! {
    staff_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
        granted_at -> Timestamp,
        granted_by -> Text,
    }
}

diesel::table! {
    dual_control_requests (id) {
        id -> Text,
        action -> Text,
        target_user_id -> Nullable<Text>,
        target_org_id -> Nullable<Text>,
        role -> Nullable<Text>,
        reason -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
        target_contract_id -> Nullable<Text>,
        milestone -> Nullable<Integer>,
        credit_grade -> Nullable<Text>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    files (sha256) {
        sha256 -> Text,
        size -> BigInt,
        content_type -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    file_uploads (sha256, user_id) {
        sha256 -> Text,
        user_id -> Text,
        original_name -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    verification_submissions (id) {
        id -> Text,
        org_id -> Text,
        licence_file -> Text,
        legal_rep_name -> Text,
        legal_rep_id_enc -> Text,
        legal_rep_id_masked -> Text,
        status -> Text,
        submitted_by -> Text,
        submitted_at -> Timestamp,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    qualifications (id) {
        id -> Text,
        submission_id -> Text,
        org_id -> Text,
        type_code -> Text,
        grade -> Text,
        number -> Text,
        expires_on -> Date,
        file -> Text,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        project_type -> Text,
        investment_fen -> BigInt,
        region_code -> Text,
        address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        tags -> Text,
        description -> Text,
        tender_files -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_questions (id) {
        id -> Text,
        project_id -> Text,
        asked_by -> Text,
        question -> Text,
        asked_at -> Timestamp,
        answer -> Nullable<Text>,
        answered_by -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    resources (id) {
        id -> Text,
        org_id -> Text,
        kind -> Text,
        category -> Text,
        name -> Text,
        description -> Text,
        parameters -> Text,
        unit_price_fen -> BigInt,
        unit -> Text,
        stock -> Nullable<BigInt>,
        availability -> Nullable<Text>,
        regions_served -> Text,
        lead_time_days -> Integer,
        tags -> Text,
        listed -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    demands (id) {
        id -> Text,
        org_id -> Text,
        kind -> Text,
        title -> Text,
        category -> Text,
        scope -> Text,
        quantity -> Nullable<Text>,
        budget_min_fen -> BigInt,
        budget_max_fen -> BigInt,
        region_code -> Text,
        required_qualifications -> Text,
        deadline -> Date,
        files -> Text,
        project_id -> Nullable<Text>,
        status -> Text,
        submitted_at -> Nullable<Timestamp>,
        review_due_at -> Nullable<Timestamp>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        rejection_reason -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        match_summary -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    demand_recommendations (demand_id, org_id) {
        demand_id -> Text,
        org_id -> Text,
        rank -> Integer,
        score -> Double,
        factors -> Text,
        reason -> Text,
        reason_en -> Text,
    }
}

diesel::table! {
    demand_invitations (id) {
        id -> Text,
        demand_id -> Text,
        org_id -> Text,
        rank -> Integer,
        reason -> Text,
        reason_en -> Text,
        answer -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Text,
        org_id -> Nullable<Text>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        title_en -> Text,
        body_en -> Text,
    }
}

diesel::table! {
    stream_tickets (ticket_hash) {
        ticket_hash -> Text,
        user_id -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        session_id -> Nullable<Text>,
    }
}

diesel::table! {
    community_groups (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        rules -> Text,
        join_policy -> Text,
        nickname_format -> Nullable<Text>,
        questionnaire -> Text,
        banned_words -> Text,
        owner_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> Text,
        user_id -> Text,
        role -> Text,
        nickname -> Text,
        status -> Text,
        joined_at -> Timestamp,
        muted_until -> Nullable<Timestamp>,
        left_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    group_applications (id) {
        id -> Text,
        group_id -> Text,
        user_id -> Text,
        nickname -> Text,
        answers -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_invitations (id) {
        id -> Text,
        group_id -> Text,
        user_id -> Text,
        invited_by -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    posts (id) {
        id -> Text,
        group_id -> Text,
        author_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        topics -> Text,
        status -> Text,
        held_words -> Nullable<Text>,
        pinned -> Bool,
        featured -> Bool,
        in_faq -> Bool,
        accepted_reply_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
        search_terms -> Nullable<Text>,
    }
}

diesel::table! {
    replies (id) {
        id -> Text,
        post_id -> Text,
        author_id -> Text,
        body -> Text,
        status -> Text,
        held_words -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> Text,
        post_id -> Text,
        reply_id -> Nullable<Text>,
        title -> Text,
        body -> Text,
        edited_by -> Text,
        edited_at -> Timestamp,
        held -> Bool,
    }
}

diesel::table! {
    points_ledger (id) {
        id -> Text,
        user_id -> Text,
        delta -> BigInt,
        reason -> Text,
        group_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    session_awards (event_id) {
        event_id -> Text,
        host_id -> Text,
        attendees -> Text,
        awarded_at -> Timestamp,
    }
}

diesel::table! {
    community_reports (id) {
        id -> Text,
        group_id -> Text,
        reporter_id -> Text,
        target_kind -> Text,
        target_id -> Text,
        target_user_id -> Text,
        reason -> Text,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sanctions (id) {
        id -> Text,
        group_id -> Text,
        user_id -> Text,
        kind -> Text,
        reason -> Text,
        report_id -> Nullable<Text>,
        applied_by -> Text,
        created_at -> Timestamp,
        until_at -> Nullable<Timestamp>,
        overturned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    appeals (id) {
        id -> Text,
        sanction_id -> Text,
        user_id -> Text,
        statement -> Text,
        status -> Text,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(group_members -> community_groups (group_id));
diesel::joinable!(group_members -> users (user_id));
diesel::joinable!(group_applications -> users (user_id));
diesel::joinable!(posts -> community_groups (group_id));
diesel::joinable!(replies -> posts (post_id));
diesel::joinable!(sanctions -> community_groups (group_id));
diesel::joinable!(points_ledger -> users (user_id));
diesel::joinable!(reward_redemptions -> rewards (reward_id));
diesel::joinable!(resource_ratings -> shared_resources (resource_id));
diesel::joinable!(resource_comments -> shared_resources (resource_id));
diesel::joinable!(appeals -> sanctions (sanction_id));
diesel::joinable!(projects -> organisations (org_id));
diesel::joinable!(project_questions -> projects (project_id));
diesel::joinable!(project_questions -> users (asked_by));
diesel::joinable!(resources -> organisations (org_id));
diesel::joinable!(demands -> organisations (org_id));
diesel::joinable!(demand_recommendations -> demands (demand_id));
diesel::joinable!(demand_invitations -> demands (demand_id));
diesel::joinable!(verification_submissions -> organisations (org_id));
diesel::joinable!(qualifications -> verification_submissions (submission_id));

diesel::allow_tables_to_appear_in_same_query!(
    surveys,
    survey_respondents,
    survey_responses,
    shared_resources,
    resource_ratings,
    resource_comments,
    rewards,
    reward_redemptions,
    point_balances,
    group_feedback,
    feedback_senders,
    community_events,
    event_signups,
    polls,
    poll_voters,
    poll_ballots,
    api_keys,
    appeals,
    community_groups,
    community_reports,
    group_applications,
    group_invitations,
    group_members,
    points_ledger,
    post_revisions,
    posts,
    replies,
    sanctions,
    demand_invitations,
    demand_recommendations,
    demands,
    notifications,
    project_questions,
    projects,
    resources,
    stream_tickets,
    audit_log,
    dual_control_requests,
    file_uploads,
    files,
    invitations,
    memberships,
    organisations,
    users,
    sessions,
    refresh_tokens,
    recovery_codes,
    one_time_codes,
    outbox_messages,
    qualifications,
    staff_roles,
    verification_submissions,
);

diesel::table! {
    contact_invitations (id) {
        id -> Text,
        kind -> Text,
        target_id -> Text,
        contact -> Text,
        role -> Text,
        status -> Text,
        invited_by -> Text,
        created_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
        reference -> Text,
        holidays -> Text,
        make_up_workdays -> Text,
        revision -> BigInt,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
    }
}

diesel::table! {
    tenders (id) {
        id -> Text,
        demand_id -> Text,
        org_id -> Text,
        status -> Text,
        open_to_all -> Bool,
        bidding_closes_at -> Timestamp,
        weights -> Text,
        evaluators -> Text,
        awarded_bid_id -> Nullable<Text>,
        awarded_on -> Nullable<Date>,
        award_reason -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tender_prequalifications (tender_id, org_id) {
        tender_id -> Text,
        org_id -> Text,
        may_bid -> Bool,
        report -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bids (id) {
        id -> Text,
        tender_id -> Text,
        org_id -> Text,
        status -> Text,
        live_key -> Nullable<Text>,
        revision -> Integer,
        offer_sealed -> Text,
        rank -> Nullable<Integer>,
        submitted_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bid_revisions (bid_id, revision) {
        bid_id -> Text,
        revision -> Integer,
        offer_sealed -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bid_files (id) {
        id -> Text,
        bid_id -> Text,
        storage_key -> Text,
        meta_sealed -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tender_marks (bid_id, evaluator_id) {
        tender_id -> Text,
        bid_id -> Text,
        evaluator_id -> Text,
        marks -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(bids -> tenders (tender_id));
diesel::joinable!(bids -> organisations (org_id));
diesel::joinable!(tenders -> demands (demand_id));
diesel::allow_tables_to_appear_in_same_query!(
    tenders,
    bids,
    tender_prequalifications,
    bid_files,
    bid_revisions,
    tender_marks
);
diesel::allow_tables_to_appear_in_same_query!(tenders, organisations);
diesel::allow_tables_to_appear_in_same_query!(tenders, demands);
diesel::allow_tables_to_appear_in_same_query!(bids, organisations);
diesel::allow_tables_to_appear_in_same_query!(tender_prequalifications, organisations);

diesel::table! {
    contracts (id) {
        id -> Text,
        tender_id -> Text,
        bid_id -> Text,
        payer_org_id -> Text,
        performer_org_id -> Text,
        supervisor_org_id -> Nullable<Text>,
        status -> Text,
        current_version -> Integer,
        effective_version -> Nullable<Integer>,
        bond_recorded_fen -> BigInt,
        effective_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contract_versions (contract_id, version) {
        contract_id -> Text,
        version -> Integer,
        document -> Text,
        sha256 -> Text,
        created_by -> Nullable<Text>,
        created_by_org -> Nullable<Text>,
        created_at -> Timestamp,
        in_force_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contract_signatures (id) {
        id -> Text,
        contract_id -> Text,
        kind -> Text,
        version -> Integer,
        org_id -> Text,
        signer_id -> Text,
        signer_name -> Text,
        document_sha256 -> Text,
        consent_text -> Text,
        ip -> Text,
        user_agent -> Text,
        signed_at -> Timestamp,
        audit_seq -> BigInt,
        voided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signing_authorities (org_id, user_id) {
        org_id -> Text,
        user_id -> Text,
        granted_by -> Text,
        granted_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(contracts, contract_versions, contract_signatures);
diesel::allow_tables_to_appear_in_same_query!(signing_authorities, memberships);
diesel::allow_tables_to_appear_in_same_query!(contract_signatures, organisations);

diesel::table! {
    ledger_accounts (id) {
        id -> Text,
        kind -> Text,
        org_id -> Nullable<Text>,
        contract_id -> Nullable<Text>,
        milestone -> Nullable<Integer>,
        balance_fen -> BigInt,
        posting_count -> BigInt,
        frozen_at -> Nullable<Timestamp>,
        frozen_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ledger_transactions (id) {
        id -> Text,
        kind -> Text,
        contract_id -> Nullable<Text>,
        milestone -> Nullable<Integer>,
        amount_fen -> BigInt,
        memo -> Text,
        source_type -> Text,
        source_id -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_postings (account_id, seq) {
        account_id -> Text,
        seq -> BigInt,
        transaction_id -> Text,
        amount_fen -> BigInt,
        balance_after_fen -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    funding_requests (id) {
        id -> Text,
        reference -> Text,
        contract_id -> Text,
        target -> Text,
        milestone -> Nullable<Integer>,
        org_id -> Text,
        amount_fen -> BigInt,
        channel -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        transaction_id -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamp>,
        code_url -> Nullable<Text>,
        provider_state -> Nullable<Text>,
    }
}

diesel::table! {
    wechat_pay_notifications (id) {
        id -> Text,
        event_type -> Text,
        transaction_id -> Text,
        out_trade_no -> Text,
        trade_state -> Text,
        amount_total -> BigInt,
        funding_request_id -> Nullable<Text>,
        ledger_transaction_id -> Nullable<Text>,
        outcome -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    bank_statements (id) {
        id -> Text,
        sha256 -> Text,
        file_name -> Text,
        encoding -> Text,
        lines -> Integer,
        already_imported -> Integer,
        matched -> Integer,
        queued -> Integer,
        skipped_outflows -> Integer,
        imported_by -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    bank_statement_lines (id) {
        id -> Text,
        statement_id -> Text,
        serial -> Text,
        trade_date -> Date,
        counterparty_name -> Text,
        counterparty_account -> Text,
        amount_fen -> BigInt,
        memo -> Text,
        reference -> Nullable<Text>,
        status -> Text,
        reason -> Nullable<Text>,
        funding_request_id -> Nullable<Text>,
        transaction_id -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(ledger_accounts, ledger_postings, ledger_transactions);
diesel::joinable!(ledger_postings -> ledger_transactions (transaction_id));

diesel::table! {
    acceptances (id) {
        id -> Text,
        contract_id -> Text,
        milestone -> Integer,
        status -> Text,
        quantities -> Text,
        note -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        settlement -> Nullable<Text>,
        statement_sha256 -> Nullable<Text>,
        transaction_id -> Nullable<Text>,
    }
}

diesel::table! {
    acceptance_signatures (id) {
        id -> Text,
        acceptance_id -> Text,
        role -> Text,
        org_id -> Text,
        signer_id -> Text,
        signer_name -> Text,
        decision -> Text,
        reason -> Nullable<Text>,
        consent_text -> Text,
        ip -> Text,
        user_agent -> Text,
        signed_at -> Timestamp,
        audit_seq -> BigInt,
    }
}

diesel::table! {
    bank_accounts (id) {
        id -> Text,
        org_id -> Text,
        account_name -> Text,
        bank_name -> Text,
        branch -> Nullable<Text>,
        number_sealed -> Text,
        masked_number -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payouts (id) {
        id -> Text,
        org_id -> Text,
        bank_account_id -> Text,
        amount_fen -> BigInt,
        status -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
        hold_transaction_id -> Text,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        bank_reference -> Nullable<Text>,
        reason -> Nullable<Text>,
        transaction_id -> Nullable<Text>,
    }
}

diesel::table! {
    progress_logs (id) {
        id -> Text,
        contract_id -> Text,
        log_date -> Date,
        work_done -> Text,
        percent -> Integer,
        issues -> Nullable<Text>,
        status -> Text,
        revises -> Nullable<Text>,
        posted_by -> Text,
        posted_at -> Timestamp,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        review_comment -> Nullable<Text>,
    }
}

diesel::table! {
    progress_photos (log_id, ordinal) {
        log_id -> Text,
        ordinal -> Integer,
        sha256 -> Text,
        content_type -> Text,
        captured_at -> Nullable<Timestamp>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
    }
}

diesel::table! {
    progress_warnings (contract_id, kind, period) {
        contract_id -> Text,
        kind -> Text,
        period -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(progress_logs, progress_photos, contracts);

diesel::table! {
    membership_changes (id) {
        id -> Text,
        org_id -> Text,
        previous -> Text,
        tier -> Text,
        change -> Text,
        triggered_by -> Text,
        reasons -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contract_closings (contract_id) {
        contract_id -> Text,
        last_accepted_on -> Date,
        warranty_ends_on -> Date,
        retention_released_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    defect_claims (id) {
        id -> Text,
        contract_id -> Text,
        description -> Text,
        status -> Text,
        raised_by -> Text,
        raised_at -> Timestamp,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        close_note -> Nullable<Text>,
    }
}

diesel::table! {
    risk_cases (id) {
        id -> Text,
        contract_id -> Text,
        org_id -> Text,
        milestones -> Text,
        owed_fen -> BigInt,
        status -> Text,
        opened_at -> Timestamp,
        cleared_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contract_ratings (contract_id, rater_org_id) {
        contract_id -> Text,
        rater_org_id -> Text,
        ratee_org_id -> Text,
        quality -> Integer,
        timeliness -> Integer,
        communication -> Integer,
        payment -> Integer,
        comment -> Nullable<Text>,
        rated_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    credit_assessments (org_id, month) {
        org_id -> Text,
        month -> Text,
        computed_grade -> Nullable<Text>,
        total -> Double,
        performance -> Double,
        transaction_history -> Double,
        reputation -> Double,
        qualification -> Double,
        social_responsibility -> Double,
        dimensions -> Text,
        payment_mean_days -> Nullable<Double>,
        override_id -> Nullable<Text>,
        override_grade -> Nullable<Text>,
        triggered_by -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    credit_findings (id) {
        id -> Text,
        org_id -> Text,
        kind -> Text,
        value -> Integer,
        source -> Text,
        document_sha256 -> Nullable<Text>,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    credit_overrides (id) {
        id -> Text,
        org_id -> Text,
        grade -> Text,
        reason -> Text,
        request_id -> Text,
        requested_by -> Text,
        approved_by -> Text,
        applied_at -> Timestamp,
        lift_request_id -> Nullable<Text>,
        lifted_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(contract_closings, contracts);
diesel::allow_tables_to_appear_in_same_query!(contract_closings, contract_versions);

diesel::table! {
    disputes (id) {
        id -> Text,
        contract_id -> Text,
        complainant_org_id -> Text,
        respondent_org_id -> Text,
        state -> Text,
        mediator_id -> Nullable<Text>,
        at_fault_org_id -> Nullable<Text>,
        deadline_at -> Nullable<Timestamp>,
        decision_sha256 -> Nullable<Text>,
        complainant_signed_by -> Nullable<Text>,
        complainant_signed_at -> Nullable<Timestamp>,
        respondent_signed_by -> Nullable<Text>,
        respondent_signed_at -> Nullable<Timestamp>,
        executed_at -> Nullable<Timestamp>,
        case_json -> Text,
        version -> Integer,
        filed_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    credit_priors (month) {
        month -> Text,
        mean_rating -> Double,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    dispute_awards (dispute_id) {
        dispute_id -> Text,
        contract_id -> Text,
        debtor_org_id -> Text,
        creditor_org_id -> Text,
        state -> Text,
        award_fen -> BigInt,
        from_escrow_fen -> BigInt,
        paid_fen -> BigInt,
        compensated_fen -> BigInt,
        due_at -> Timestamp,
        requested_by -> Nullable<Text>,
        requested_bond_fen -> Nullable<BigInt>,
        requested_reserve_fen -> Nullable<BigInt>,
        requested_at -> Nullable<Timestamp>,
        recovery_fen -> BigInt,
        recovered_fen -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dispute_messages (id) {
        id -> Text,
        dispute_id -> Text,
        side -> Text,
        author_id -> Text,
        body -> Text,
        files -> Text,
        created_at -> Timestamp,
    }
}
