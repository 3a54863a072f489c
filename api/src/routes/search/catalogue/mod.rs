//! The live search index over projects, listings and organisations: built from the database
//! at start-up, then refreshed by the handlers that change what it shows (within this
//! process). Ranking lives in `shared::domain::search`; this module segments text and turns
//! rows into documents.

pub mod documents;
pub mod segment;

use std::sync::RwLock;

use shared::domain::search::{SearchIndex, SearchQuery, SearchResults};
use shared::dto::SearchKind;

use crate::db::DbConn;
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::projects::ProjectRow;
use crate::db::models::resources::ResourceRow;

/// The index behind a lock: searches share it, refreshes take it briefly.
#[derive(Default)]
pub struct SearchCatalogue {
    index: RwLock<SearchIndex>,
}

impl SearchCatalogue {
    /// Builds the index from every public project, live listing and directory organisation.
    pub fn load(conn: &mut DbConn) -> diesel::QueryResult<Self> {
        segment::warm_up();
        let mut index = SearchIndex::new();
        for (row, org_name) in ProjectRow::all_public(conn)? {
            documents::project(&row, &org_name).add_to(&mut index);
        }
        for (row, org_name) in ResourceRow::all_listed(conn)? {
            documents::resource(&row, &org_name).add_to(&mut index);
        }
        for row in OrganisationRow::all_in_directory(conn)? {
            documents::organisation(&row).add_to(&mut index);
        }
        Ok(Self { index: RwLock::new(index) })
    }

    /// Rebuilds the index from the database (after bulk loads such as demo data).
    pub fn reload(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        let fresh = Self::load(conn)?.index.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.write(|index| *index = fresh);
        Ok(())
    }

    /// Runs `f` on the index for reading.
    pub fn read<T>(&self, f: impl FnOnce(&SearchIndex) -> T) -> T {
        let guard = self.index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&guard)
    }

    /// Runs a query, mapping hits with `f` while the index is held.
    pub fn search<T>(
        &self,
        query: &SearchQuery,
        f: impl FnOnce(SearchResults<'_>) -> T,
    ) -> Result<T, shared::domain::search::SearchError> {
        self.read(|index| index.search(query).map(f))
    }

    fn write(&self, f: impl FnOnce(&mut SearchIndex)) {
        let mut guard = self.index.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard);
    }

    /// Re-reads one project: indexed while published or closed, dropped as a draft.
    pub fn refresh_project(&self, conn: &mut DbConn, id: &str) -> diesel::QueryResult<()> {
        let document = ProjectRow::find(conn, id)?
            .filter(|(row, _)| row.status != shared::dto::ProjectStatus::Draft)
            .map(|(row, org_name)| documents::project(&row, &org_name));
        self.replace(SearchKind::Project, id, document);
        Ok(())
    }

    /// Re-reads one listing: indexed while listed.
    pub fn refresh_resource(&self, conn: &mut DbConn, id: &str) -> diesel::QueryResult<()> {
        let document = ResourceRow::find(conn, id)?
            .filter(|(row, _)| row.listed)
            .map(|(row, org_name)| documents::resource(&row, &org_name));
        self.replace(SearchKind::Resource, id, document);
        Ok(())
    }

    /// Re-reads one organisation: indexed while verified and not suspended. Its projects and
    /// listings carry its name, so they are refreshed too.
    pub fn refresh_organisation(&self, conn: &mut DbConn, id: &str) -> diesel::QueryResult<()> {
        let document = OrganisationRow::find(conn, id)?
            .filter(OrganisationRow::in_directory)
            .map(|row| documents::organisation(&row));
        self.replace(SearchKind::Organisation, id, document);
        for project in ProjectRow::ids_of_org(conn, id)? {
            self.refresh_project(conn, &project)?;
        }
        for resource in ResourceRow::ids_of_org(conn, id)? {
            self.refresh_resource(conn, &resource)?;
        }
        Ok(())
    }

    /// Re-reads everything changed at or after `since` (writes made by other server processes).
    pub fn refresh_changed(
        &self,
        conn: &mut DbConn,
        since: chrono::NaiveDateTime,
    ) -> diesel::QueryResult<Vec<String>> {
        for id in ProjectRow::changed_since(conn, since)? {
            self.refresh_project(conn, &id)?;
        }
        for id in ResourceRow::changed_since(conn, since)? {
            self.refresh_resource(conn, &id)?;
        }
        let organisations = OrganisationRow::changed_since(conn, since)?;
        for id in &organisations {
            let document = OrganisationRow::find(conn, id)?
                .filter(OrganisationRow::in_directory)
                .map(|row| documents::organisation(&row));
            self.replace(SearchKind::Organisation, id, document);
        }
        Ok(organisations)
    }

    fn replace(&self, kind: SearchKind, id: &str, document: Option<documents::Indexed>) {
        self.write(|index| match document {
            Some(document) => document.add_to(index),
            None => index.remove(kind, id),
        });
    }
}
