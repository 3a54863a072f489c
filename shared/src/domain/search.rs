//! The search index: an in-memory inverted index over projects, listings and organisations
//! with BM25 relevance, filters, a radius around a point, sorting and keyset pagination.
//!
//! Segmentation happens outside (the server cuts text with jieba); this module receives the
//! terms. Ranking is computed here, so SQLite and PostgreSQL deployments return the same hits in
//! the same order.
//!
//! Rules:
//! - a document matches when it holds **every** query term (title, tags and body count;
//!   title terms weigh 3, tags 2, body 1 in term frequency);
//! - relevance is BM25 (k1 = 1.2, b = 0.75), ties broken by kind then id;
//! - pages are keyset pages: the cursor holds the last hit's sort key **and** the corpus
//!   statistics the scores were computed with, so later pages score every document exactly as
//!   the first page did — inserts or edits elsewhere never duplicate or skip a hit;
//! - without query text, "relevance" orders newest first.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::credit::CreditGrade;
use crate::domain::region::RegionCode;
use crate::dto::{SearchKind, SearchSort};

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Term-frequency weight of a word in the title.
pub const TITLE_WEIGHT: f32 = 3.0;
/// Term-frequency weight of a tag word.
pub const TAG_WEIGHT: f32 = 2.0;
/// Term-frequency weight of a body word.
pub const BODY_WEIGHT: f32 = 1.0;
/// Mean radius of the earth used for distances.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// What the index knows about one document besides its terms.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchDocument {
    /// Project, listing or organisation.
    pub kind: SearchKind,
    /// Its id.
    pub id: String,
    /// Name shown as the hit's title.
    pub title: String,
    /// Start of the description.
    pub snippet: String,
    /// Regions it is in or serves; a region filter matches when one of them covers the filter
    /// region or lies inside it. The first is shown.
    pub regions: Vec<RegionCode>,
    /// Investment or unit price, fen.
    pub amount_fen: Option<i64>,
    /// Project type, listing kind or business roles (any of them matches a type filter).
    pub subtypes: Vec<String>,
    /// Project status.
    pub status: Option<String>,
    /// Category codes.
    pub categories: Vec<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Owning organisation's name.
    pub org_name: Option<String>,
    /// An organisation's published credit grade (none: not rated, or not an organisation).
    pub credit_grade: Option<CreditGrade>,
    /// Latitude and longitude.
    pub location: Option<(f64, f64)>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// Filters, order and page of a search. Empty `terms` means "everything that passes the
/// filters".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchQuery {
    /// Query words (already segmented).
    pub terms: Vec<String>,
    /// Only this kind.
    pub kind: Option<SearchKind>,
    /// Only this project type / listing kind / business role.
    pub subtype: Option<String>,
    /// Only documents in or serving this region (a province covers its cities and districts).
    pub region: Option<RegionCode>,
    /// Amount at least this, fen (documents without an amount are excluded).
    pub min_amount_fen: Option<i64>,
    /// Amount at most this, fen.
    pub max_amount_fen: Option<i64>,
    /// Every one of these tags.
    pub tags: Vec<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only this category.
    pub category: Option<String>,
    /// Reference point (latitude, longitude) for distances.
    pub point: Option<(f64, f64)>,
    /// Only documents within this many km of `point`.
    pub radius_km: Option<f64>,
    /// Order.
    pub sort: SearchSort,
    /// Page size.
    pub limit: usize,
    /// Where the previous page ended.
    pub cursor: Option<SearchCursor>,
}

/// Where a page ended, with the statistics its scores used. Opaque to clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchCursor {
    /// Sort key of the last hit (smaller comes first).
    pub key: f64,
    /// Tie-break of the last hit: `kind:id`.
    pub tie: String,
    /// Inverse document frequency of each query term, in query order.
    pub idf: Vec<f64>,
    /// Average document length.
    pub avg_length: f64,
}

/// A search that cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Sorting by distance or a radius needs a point.
    #[error("sorting by distance and a radius need lat and lng")]
    PointRequired,
    /// The cursor belongs to a different query.
    #[error("the cursor does not belong to this query")]
    CursorMismatch,
}

/// One hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit<'a> {
    /// The document.
    pub document: &'a SearchDocument,
    /// BM25 score (0 without terms).
    pub score: f64,
    /// Distance from the query point, km.
    pub distance_km: Option<f64>,
}

/// A page of hits.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults<'a> {
    /// The hits of this page.
    pub hits: Vec<Hit<'a>>,
    /// Hits on all pages.
    pub total: usize,
    /// The cursor for the next page, if there is one.
    pub next: Option<SearchCursor>,
}

#[derive(Debug)]
struct Entry {
    document: SearchDocument,
    length: f32,
    distinct_terms: usize,
}

/// The inverted index. Replaced documents leave dead postings behind, skipped on query and
/// dropped by [`SearchIndex::compact`] once they outnumber the live ones.
#[derive(Debug, Default)]
pub struct SearchIndex {
    slots: Vec<Option<Entry>>,
    by_id: HashMap<(SearchKind, String), u32>,
    postings: HashMap<String, Vec<(u32, f32)>>,
    /// Slots of each kind (dead ones included), for queries without text.
    by_kind: [Vec<u32>; 3],
    length_sum: f64,
    live: usize,
    dead_postings: usize,
    live_postings: usize,
}

/// Great-circle distance in km between two (latitude, longitude) points.
#[must_use]
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h =
        ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A term's postings (slot, weighted term frequency) with the term's IDF.
type WeightedPostings<'i> = (&'i [(u32, f32)], f64);

fn kind_index(kind: SearchKind) -> usize {
    match kind {
        SearchKind::Project => 0,
        SearchKind::Resource => 1,
        SearchKind::Organisation => 2,
    }
}

fn tie_of(document: &SearchDocument) -> String {
    format!("{}:{}", document.kind.as_str(), document.id)
}

impl SearchIndex {
    /// An empty index.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Live documents.
    #[must_use]
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the index holds no live document.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds or replaces a document with its terms, each list with its weight
    /// ([`TITLE_WEIGHT`], [`TAG_WEIGHT`], [`BODY_WEIGHT`]).
    pub fn upsert(&mut self, document: SearchDocument, fields: &[(&[String], f32)]) {
        self.remove(document.kind, &document.id);
        let mut frequencies: HashMap<&str, f32> = HashMap::new();
        let mut length = 0.0_f32;
        for (terms, weight) in fields {
            for term in *terms {
                *frequencies.entry(term.as_str()).or_default() += weight;
                length += weight;
            }
        }
        let slot = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        let distinct_terms = frequencies.len();
        for (term, frequency) in frequencies {
            self.postings.entry(term.to_owned()).or_default().push((slot, frequency));
        }
        self.live_postings += distinct_terms;
        self.by_id.insert((document.kind, document.id.clone()), slot);
        self.by_kind[kind_index(document.kind)].push(slot);
        self.length_sum += f64::from(length);
        self.live += 1;
        self.slots.push(Some(Entry { document, length, distinct_terms }));
        if self.dead_postings > self.live_postings.max(1024) {
            self.compact();
        }
    }

    /// Removes a document (no-op when absent).
    pub fn remove(&mut self, kind: SearchKind, id: &str) {
        let Some(slot) = self.by_id.remove(&(kind, id.to_owned())) else { return };
        if let Some(entry) = self.slots.get_mut(slot as usize).and_then(Option::take) {
            self.length_sum -= f64::from(entry.length);
            self.live -= 1;
            self.live_postings -= entry.distinct_terms;
            self.dead_postings += entry.distinct_terms;
        }
    }

    /// Drops dead postings (slots keep their numbers).
    pub fn compact(&mut self) {
        let slots = &self.slots;
        self.postings.retain(|_, list| {
            list.retain(|(slot, _)| slots.get(*slot as usize).is_some_and(Option::is_some));
            !list.is_empty()
        });
        for list in &mut self.by_kind {
            list.retain(|slot| slots.get(*slot as usize).is_some_and(Option::is_some));
        }
        self.dead_postings = 0;
    }

    fn average_length(&self) -> f64 {
        if self.live == 0 { 1.0 } else { (self.length_sum / self.live as f64).max(1e-9) }
    }

    fn idf(&self, term: &str) -> f64 {
        let containing = self
            .postings
            .get(term)
            .map_or(0, |list| list.iter().filter(|(slot, _)| self.entry(*slot).is_some()).count())
            as f64;
        let documents = self.live as f64;
        (1.0 + (documents - containing + 0.5) / (containing + 0.5)).ln()
    }

    fn entry(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    /// The posting lists of the terms with their weights, rarest first; `None` when a term
    /// is in no document.
    fn lists<'i>(&'i self, terms: &[String], idf: &[f64]) -> Option<Vec<WeightedPostings<'i>>> {
        let mut lists = Vec::with_capacity(terms.len());
        for (term, weight) in terms.iter().zip(idf) {
            lists.push((self.postings.get(term)?.as_slice(), *weight));
        }
        lists.sort_by_key(|(list, _)| list.len());
        Some(lists)
    }

    /// BM25 of `slot` when it holds every term.
    fn score(lists: &[WeightedPostings<'_>], slot: u32, length: f32, avg_length: f64) -> Option<f64> {
        let norm = K1 * (1.0 - B + B * f64::from(length) / avg_length);
        let mut score = 0.0;
        for (list, weight) in lists {
            let position = list.binary_search_by_key(&slot, |p| p.0).ok()?;
            let tf = f64::from(list[position].1);
            score += weight * tf * (K1 + 1.0) / (tf + norm);
        }
        Some(score)
    }

    fn passes(document: &SearchDocument, query: &SearchQuery, distance: Option<f64>) -> bool {
        query.kind.is_none_or(|kind| document.kind == kind)
            && query.subtype.as_ref().is_none_or(|s| document.subtypes.contains(s))
            && query
                .region
                .is_none_or(|region| document.regions.iter().any(|r| region.covers(*r) || r.covers(region)))
            && query.min_amount_fen.is_none_or(|min| document.amount_fen.is_some_and(|a| a >= min))
            && query.max_amount_fen.is_none_or(|max| document.amount_fen.is_some_and(|a| a <= max))
            && query.tags.iter().all(|tag| document.tags.contains(tag))
            && query.status.as_ref().is_none_or(|s| document.status.as_ref() == Some(s))
            && query.category.as_ref().is_none_or(|c| document.categories.contains(c))
            && query.radius_km.is_none_or(|radius| distance.is_some_and(|d| d <= radius))
    }

    /// The sort key (smaller first). Hits without the sorted value go last with `f64::MAX`, a
    /// finite number, so the key survives the cursor's JSON (infinity would not).
    fn sort_key(sort: SearchSort, has_terms: bool, hit: &Hit<'_>) -> f64 {
        let amount = hit.document.amount_fen.map(|a| a as f64);
        let key = match sort {
            SearchSort::Relevance if has_terms => -hit.score,
            SearchSort::Relevance | SearchSort::Newest => {
                -(hit.document.created_at.timestamp_millis() as f64)
            }
            SearchSort::AmountAsc => amount.unwrap_or(f64::MAX),
            SearchSort::AmountDesc => amount.map_or(f64::MAX, |a| -a),
            SearchSort::Distance => hit.distance_km.unwrap_or(f64::MAX),
        };
        if key.is_finite() { key } else { f64::MAX }
    }

    /// Runs a query.
    ///
    /// # Errors
    /// [`SearchError::PointRequired`] for a distance sort or radius without a point;
    /// [`SearchError::CursorMismatch`] when the cursor's statistics do not fit the terms.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults<'_>, SearchError> {
        if query.point.is_none() && (query.sort == SearchSort::Distance || query.radius_km.is_some()) {
            return Err(SearchError::PointRequired);
        }
        let (idf, avg_length) = match &query.cursor {
            Some(cursor) if cursor.idf.len() != query.terms.len() => return Err(SearchError::CursorMismatch),
            Some(cursor) => (cursor.idf.clone(), cursor.avg_length),
            None => (query.terms.iter().map(|t| self.idf(t)).collect(), self.average_length()),
        };
        let has_terms = !query.terms.is_empty();
        let lists = if has_terms {
            match self.lists(&query.terms, &idf) {
                Some(lists) => lists,
                None => return Ok(SearchResults { hits: Vec::new(), total: 0, next: None }),
            }
        } else {
            Vec::new()
        };
        let slots: Box<dyn Iterator<Item = u32>> = match (lists.first(), query.kind) {
            (Some((rarest, _)), _) => Box::new(rarest.iter().map(|p| p.0)),
            (None, Some(kind)) => Box::new(self.by_kind[kind_index(kind)].iter().copied()),
            (None, None) => Box::new((0..self.slots.len()).filter_map(|s| u32::try_from(s).ok())),
        };
        let after = query.cursor.as_ref().map(|c| {
            let (kind, id) = c.tie.split_once(':').unwrap_or((c.tie.as_str(), ""));
            (c.key, kind.to_owned(), id.to_owned())
        });
        let mut total = 0;
        let mut page: Vec<(f64, Hit<'_>)> = Vec::with_capacity(query.limit + 1);
        for slot in slots {
            let Some(entry) = self.entry(slot) else { continue };
            let document = &entry.document;
            let distance = query.point.zip(document.location).map(|(p, l)| haversine_km(p, l));
            if !Self::passes(document, query, distance) {
                continue;
            }
            let score = if has_terms {
                match Self::score(&lists, slot, entry.length, avg_length) {
                    Some(score) => score,
                    None => continue,
                }
            } else {
                0.0
            };
            total += 1;
            let hit = Hit { document, score, distance_km: distance };
            let key = Self::sort_key(query.sort, has_terms, &hit);
            if let Some((after_key, after_kind, after_id)) = &after
                && order(key, document, *after_key, after_kind, after_id) != Ordering::Greater
            {
                continue;
            }
            let beaten = page.len() > query.limit
                && page.last().is_some_and(|(k, last)| {
                    order(key, document, *k, last.document.kind.as_str(), &last.document.id) != Ordering::Less
                });
            if beaten {
                continue;
            }
            let position = page.partition_point(|(k, kept)| {
                order(*k, kept.document, key, document.kind.as_str(), &document.id) == Ordering::Less
            });
            page.insert(position, (key, hit));
            page.truncate(query.limit + 1);
        }
        let more = page.len() > query.limit;
        page.truncate(query.limit);
        let next = if more {
            page.last().map(|(key, hit)| SearchCursor {
                key: *key,
                tie: tie_of(hit.document),
                idf,
                avg_length,
            })
        } else {
            None
        };
        Ok(SearchResults { hits: page.into_iter().map(|(_, hit)| hit).collect(), total, next })
    }
}

/// Page order: sort key, then kind name, then id (the order of the cursor's `kind:id` tie, as no
/// kind name is a prefix of another).
fn order(key_a: f64, a: &SearchDocument, key_b: f64, kind_b: &str, id_b: &str) -> Ordering {
    key_a.total_cmp(&key_b).then_with(|| a.kind.as_str().cmp(kind_b)).then_with(|| a.id.as_str().cmp(id_b))
}

#[cfg(test)]
mod tests;
