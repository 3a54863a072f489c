//! `resources`: listings of materials, equipment, labour and machinery rental.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::ResourceKind;

use crate::db::DbConn;
use crate::db::schema::{organisations, resources};

/// A listing row. `parameters`, `regions_served` and `tags` hold JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = resources)]
#[diesel(treat_none_as_null = true)]
pub struct ResourceRow {
    pub id: String,
    pub org_id: String,
    pub kind: ResourceKind,
    pub category: String,
    pub name: String,
    pub description: String,
    pub parameters: String,
    pub unit_price_fen: i64,
    pub unit: String,
    pub stock: Option<i64>,
    pub availability: Option<String>,
    pub regions_served: String,
    pub lead_time_days: i32,
    pub tags: String,
    pub listed: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Filters of the public listing list.
#[derive(Default)]
pub struct ResourceFilter {
    pub org_id: Option<String>,
    pub kind: Option<ResourceKind>,
    pub category: Option<String>,
    /// Every listing of this organisation, withdrawn ones included.
    pub own_org: Option<String>,
}

impl ResourceRow {
    /// Inserts a listing.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(resources::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(resources::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One listing with its organisation's name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(ResourceRow, String)>> {
        resources::table
            .inner_join(organisations::table)
            .filter(resources::id.eq(id))
            .select((ResourceRow::as_select(), organisations::name))
            .first(conn)
            .optional()
    }

    /// Several listings with their organisations' names (any order).
    pub fn find_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(ResourceRow, String)>> {
        resources::table
            .inner_join(organisations::table)
            .filter(resources::id.eq_any(ids))
            .select((ResourceRow::as_select(), organisations::name))
            .load(conn)
    }

    /// A page, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        filter: &ResourceFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(ResourceRow, String)>> {
        let mut query = resources::table
            .inner_join(organisations::table)
            .select((ResourceRow::as_select(), organisations::name))
            .order(resources::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(resources::id.lt(cursor.to_owned()));
        }
        match &filter.own_org {
            Some(org) => query = query.filter(resources::org_id.eq(org.clone())),
            None => query = query.filter(resources::listed.eq(true)),
        }
        if let Some(org) = &filter.org_id {
            query = query.filter(resources::org_id.eq(org.clone()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(resources::kind.eq(kind));
        }
        if let Some(category) = &filter.category {
            query = query.filter(resources::category.eq(category.clone()));
        }
        query.load(conn)
    }

    /// Ids of listings changed at or after `since`.
    pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
        resources::table.filter(resources::updated_at.ge(since)).select(resources::id).load(conn)
    }

    /// Ids of an organisation's listings.
    pub fn ids_of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<String>> {
        resources::table.filter(resources::org_id.eq(org_id)).select(resources::id).load(conn)
    }

    /// Every live listing (for the search index).
    pub fn all_listed(conn: &mut DbConn) -> QueryResult<Vec<(ResourceRow, String)>> {
        resources::table
            .inner_join(organisations::table)
            .filter(resources::listed.eq(true))
            .select((ResourceRow::as_select(), organisations::name))
            .load(conn)
    }
}
