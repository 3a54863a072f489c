//! The resource comparison table (资源对比表): 2–5 listings side by side, parameters aligned by
//! name, and the best value in each row marked.
//!
//! Rules: price and lead time are better lower, stock higher; a parameter row is ordered only
//! when some listing says which way it is better and at least two cells hold numbers; prices
//! and stock compare only when every listing uses the same unit (comparing ¥/吨 with ¥/车 would
//! mislead). Ties are all marked.

use crate::dto::{Better, ComparisonRow, Resource};

/// Fewest listings a comparison takes.
pub const MIN_LISTINGS: usize = 2;
/// Most listings a comparison takes.
pub const MAX_LISTINGS: usize = 5;

/// Formats fen as ¥ with two decimals.
#[must_use]
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", abs / 100, abs % 100)
}

fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim().trim_end_matches('%').replace(',', "");
    trimmed.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Indexes of the best values among `cells` (None cells never win).
fn best_of(cells: &[Option<f64>], better: Better) -> Vec<i32> {
    let present: Vec<f64> = cells.iter().flatten().copied().collect();
    if present.len() < 2 {
        return Vec::new();
    }
    let target = match better {
        Better::Higher => present.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Better::Lower => present.iter().copied().fold(f64::INFINITY, f64::min),
    };
    cells
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|v| (v - target).abs() <= f64::EPSILON * target.abs().max(1.0)))
        .filter_map(|(i, _)| i32::try_from(i).ok())
        .collect()
}

fn same_unit(listings: &[Resource]) -> Option<String> {
    let first = listings.first()?.unit.clone();
    listings.iter().all(|l| l.unit == first).then_some(first)
}

fn fixed_rows(listings: &[Resource]) -> Vec<ComparisonRow> {
    let unit = same_unit(listings);
    let prices: Vec<Option<f64>> = listings.iter().map(|l| Some(l.unit_price_fen as f64)).collect();
    let stock: Vec<Option<f64>> = listings.iter().map(|l| l.stock.map(|s| s as f64)).collect();
    let lead: Vec<Option<f64>> = listings.iter().map(|l| Some(f64::from(l.lead_time_days))).collect();
    vec![
        ComparisonRow {
            label: "供应商".into(),
            unit: None,
            values: listings.iter().map(|l| Some(l.org_name.clone())).collect(),
            best: Vec::new(),
        },
        ComparisonRow {
            label: "单价".into(),
            unit: unit.clone().map(|u| format!("元/{u}")),
            values: listings.iter().map(|l| Some(format!("{}/{}", yuan(l.unit_price_fen), l.unit))).collect(),
            best: if unit.is_some() { best_of(&prices, Better::Lower) } else { Vec::new() },
        },
        ComparisonRow {
            label: "交货期".into(),
            unit: Some("天".into()),
            values: listings.iter().map(|l| Some(l.lead_time_days.to_string())).collect(),
            best: best_of(&lead, Better::Lower),
        },
        ComparisonRow {
            label: "库存".into(),
            unit: unit.clone(),
            values: listings
                .iter()
                .map(|l| l.stock.map(|s| s.to_string()).or_else(|| l.availability.clone()))
                .collect(),
            best: if unit.is_some() { best_of(&stock, Better::Higher) } else { Vec::new() },
        },
        ComparisonRow {
            label: "供货区域".into(),
            unit: None,
            values: listings
                .iter()
                .map(|l| {
                    let names: Vec<String> = l
                        .regions_served
                        .iter()
                        .map(|code| crate::gb2260::full_name(code).unwrap_or_else(|| code.clone()))
                        .collect();
                    Some(names.join("、"))
                })
                .collect(),
            best: Vec::new(),
        },
    ]
}

/// The comparison rows for `listings` (in the order given).
#[must_use]
pub fn compare(listings: &[Resource]) -> Vec<ComparisonRow> {
    let mut rows = fixed_rows(listings);
    let mut names: Vec<&str> = Vec::new();
    for listing in listings {
        for parameter in &listing.parameters {
            if !names.contains(&parameter.name.as_str()) {
                names.push(&parameter.name);
            }
        }
    }
    for name in names {
        let cells: Vec<Option<&crate::dto::ResourceParameter>> =
            listings.iter().map(|l| l.parameters.iter().find(|p| p.name == name)).collect();
        let units: Vec<Option<&str>> = cells.iter().flatten().map(|p| p.unit.as_deref()).collect();
        let unit = units.first().copied().flatten().filter(|u| units.iter().all(|x| *x == Some(*u)));
        let better = cells.iter().flatten().find_map(|p| p.better);
        let numbers: Vec<Option<f64>> =
            cells.iter().map(|c| c.and_then(|p| parse_number(&p.value))).collect();
        let comparable = units.iter().all(|u| *u == units.first().copied().flatten());
        rows.push(ComparisonRow {
            label: name.to_owned(),
            unit: unit.map(str::to_owned),
            values: cells
                .iter()
                .map(|c| {
                    c.map(|p| match (&p.unit, unit) {
                        (Some(u), None) => format!("{} {u}", p.value),
                        _ => p.value.clone(),
                    })
                })
                .collect(),
            best: match better {
                Some(better) if comparable => best_of(&numbers, better),
                _ => Vec::new(),
            },
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::dto::{ResourceKind, ResourceParameter};

    fn listing(org: &str, price: i64, unit: &str, lead: i32, parameters: Vec<ResourceParameter>) -> Resource {
        let at = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("valid");
        Resource {
            id: format!("id-{org}"),
            org_id: org.into(),
            org_name: org.into(),
            kind: ResourceKind::Material,
            category: "cement".into(),
            category_name: "水泥".into(),
            name: "水泥".into(),
            description: String::new(),
            parameters,
            unit_price_fen: price,
            unit: unit.into(),
            stock: Some(100),
            availability: None,
            regions_served: vec!["330000".into()],
            lead_time_days: lead,
            tags: vec![],
            listed: true,
            created_at: at,
            updated_at: at,
        }
    }

    fn param(name: &str, value: &str, unit: Option<&str>, better: Option<Better>) -> ResourceParameter {
        ResourceParameter { name: name.into(), value: value.into(), unit: unit.map(Into::into), better }
    }

    fn row<'a>(rows: &'a [ComparisonRow], label: &str) -> &'a ComparisonRow {
        rows.iter().find(|r| r.label == label).expect("valid")
    }

    #[test]
    fn lowest_price_and_shortest_lead_time_are_best() {
        let rows = compare(&[listing("a", 500, "吨", 5, vec![]), listing("b", 400, "吨", 7, vec![])]);
        assert_eq!(row(&rows, "单价").best, vec![1]);
        assert_eq!(row(&rows, "交货期").best, vec![0]);
        assert_eq!(row(&rows, "单价").values[1].as_deref(), Some("¥4.00/吨"));
    }

    #[test]
    fn prices_in_different_units_are_not_ranked() {
        let rows = compare(&[listing("a", 500, "吨", 5, vec![]), listing("b", 400, "车", 5, vec![])]);
        assert!(row(&rows, "单价").best.is_empty());
        assert_eq!(row(&rows, "交货期").best, vec![0, 1], "ties are all marked");
    }

    #[test]
    fn parameters_align_by_name_with_gaps_as_null() {
        let rows = compare(&[
            listing("a", 1, "吨", 1, vec![param("强度", "42.5", Some("MPa"), Some(Better::Higher))]),
            listing("b", 1, "吨", 1, vec![param("细度", "3", Some("%"), Some(Better::Lower))]),
            listing("c", 1, "吨", 1, vec![param("强度", "52.5", Some("MPa"), None)]),
        ]);
        let strength = row(&rows, "强度");
        assert_eq!(strength.values, vec![Some("42.5".into()), None, Some("52.5".into())]);
        assert_eq!(strength.unit.as_deref(), Some("MPa"));
        assert_eq!(strength.best, vec![2]);
        assert!(row(&rows, "细度").best.is_empty(), "one number cannot be best of one");
    }

    #[test]
    fn rows_without_direction_or_numbers_are_unranked() {
        let rows = compare(&[
            listing("a", 1, "吨", 1, vec![param("产地", "浙江", None, None)]),
            listing("b", 1, "吨", 1, vec![param("产地", "江苏", None, Some(Better::Higher))]),
        ]);
        assert!(row(&rows, "产地").best.is_empty());
    }

    #[test]
    fn yuan_formats_two_decimals() {
        assert_eq!(yuan(123_456), "¥1234.56");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(-100), "-¥1.00");
    }
}
