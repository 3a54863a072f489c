//! Referrals: a person's code, who registered with it, and the referrer's +20 points once the
//! referred person's organisation is verified (once per referred person, at most once per
//! organisation, never for one's own organisation).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::community::points::PointsReason;

use crate::db::DbConn;
use crate::db::models::community::PointsRow;
use crate::db::models::orgs::MembershipRow;
use crate::db::schema::users;
use crate::routes::community;

/// Letters and digits that cannot be mistaken for each other when read aloud or copied.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The person who owns `code` (codes are compared in upper case).
pub fn referrer_of(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    users::table
        .filter(users::referral_code.eq(code.trim().to_uppercase()))
        .filter(users::deleted_at.is_null())
        .select(users::id)
        .first(conn)
        .optional()
}

/// Records who referred `user_id`.
pub fn set_referred_by(conn: &mut DbConn, user_id: &str, referrer: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::referred_by.eq(referrer)).execute(conn).map(drop)
}

/// The person's code, made on first use (8 characters from [`ALPHABET`]).
pub fn code_of(conn: &mut DbConn, user_id: &str) -> QueryResult<String> {
    let existing: Option<String> = users::table.find(user_id).select(users::referral_code).first(conn)?;
    if let Some(code) = existing {
        return Ok(code);
    }
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let code: String =
        bytes.iter().take(8).map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    diesel::update(users::table.find(user_id)).set(users::referral_code.eq(&code)).execute(conn)?;
    Ok(code)
}

/// (people who registered with the person's code, referral awards the person got).
pub fn counts(conn: &mut DbConn, user_id: &str) -> QueryResult<(i64, i64)> {
    let registered: i64 = users::table.filter(users::referred_by.eq(user_id)).count().get_result(conn)?;
    let rewarded = PointsRow::awards_since(
        conn,
        user_id,
        PointsReason::Referral,
        chrono::DateTime::UNIX_EPOCH.naive_utc(),
    )?;
    Ok((registered, rewarded))
}

/// Awards the referrers of the organisation's members who have not earned for them yet: at most
/// one award per referrer for each verified organisation, and none to referrers who belong to it
/// themselves (so filling one's own organisation with referred accounts earns nothing).
pub fn award_for_verified_org(conn: &mut DbConn, org_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    let members: Vec<String> =
        MembershipRow::list(conn, org_id)?.into_iter().map(|(m, _)| m.user_id).collect();
    let referred: Vec<(String, Option<String>)> = users::table
        .filter(users::id.eq_any(&members))
        .filter(users::referred_by.is_not_null())
        .order(users::id.asc())
        .select((users::id, users::referred_by))
        .load(conn)?;
    let mut paid: Vec<String> = Vec::new();
    for (member, referrer) in referred {
        let Some(referrer) = referrer else { continue };
        if members.contains(&referrer) || paid.contains(&referrer) {
            continue;
        }
        if PointsRow::award_for(conn, &referrer, PointsReason::Referral, &member)? == 0 {
            let points = PointsReason::Referral.award();
            community::record_points(
                conn,
                &referrer,
                points,
                PointsReason::Referral,
                None,
                Some(&member),
                at,
            )?;
            paid.push(referrer);
        }
    }
    Ok(())
}
