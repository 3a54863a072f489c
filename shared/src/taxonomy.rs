//! The taxonomies shipped as data (`shared/data/taxonomy/`): qualification types with their
//! grades ordered from the top, and categories of work and materials. Compiled in; parsed once.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::qualification::GradeRank;

/// A grade of a qualification type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// Stable code, e.g. `special`, `first`, `class_a`, `held`.
    pub code: String,
    /// Chinese name (特级, 一级, 甲级, …).
    pub zh: String,
    /// English name.
    pub en: String,
}

/// A qualification type and its grades, top first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationType {
    /// Stable code, e.g. `construction_general_contracting`.
    pub code: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Grades, top grade first.
    pub grades: Vec<Grade>,
}

impl QualificationType {
    /// The rank of a grade code in this type (0 = top), if the type has it.
    pub fn rank(&self, grade: &str) -> Option<GradeRank> {
        self.grades.iter().position(|g| g.code == grade).and_then(|i| u8::try_from(i).ok()).map(GradeRank)
    }
}

/// A category of work or materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable code, e.g. `municipal_roads`, `steel`.
    pub code: String,
    /// `works`, `labour`, `materials`, `equipment`, `services` or `finance`.
    pub group: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
}

#[derive(Deserialize)]
struct QualificationFile {
    types: Vec<QualificationType>,
}

#[derive(Deserialize)]
struct CategoryFile {
    categories: Vec<Category>,
}

/// Every qualification type.
pub fn qualification_types() -> &'static [QualificationType] {
    static TYPES: OnceLock<Vec<QualificationType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        serde_json::from_str::<QualificationFile>(include_str!("../data/taxonomy/qualifications.json"))
            .map(|f| f.types)
            .unwrap_or_default()
    })
}

/// Every category.
pub fn categories() -> &'static [Category] {
    static CATEGORIES: OnceLock<Vec<Category>> = OnceLock::new();
    CATEGORIES.get_or_init(|| {
        serde_json::from_str::<CategoryFile>(include_str!("../data/taxonomy/categories.json"))
            .map(|f| f.categories)
            .unwrap_or_default()
    })
}

/// A qualification type by code.
pub fn qualification_type(code: &str) -> Option<&'static QualificationType> {
    qualification_types().iter().find(|t| t.code == code)
}

/// The type and grade names of a certificate in English (`english`) or Chinese, if both codes
/// are in the taxonomy.
pub fn qualification_names(
    type_code: &str,
    grade: &str,
    english: bool,
) -> Option<(&'static str, &'static str)> {
    let kind = qualification_type(type_code)?;
    let grade = kind.grades.iter().find(|g| g.code == grade)?;
    Some(if english { (kind.en.as_str(), grade.en.as_str()) } else { (kind.zh.as_str(), grade.zh.as_str()) })
}

/// A category by code.
pub fn category(code: &str) -> Option<&'static Category> {
    categories().iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse_with_unique_codes() {
        let types = qualification_types();
        assert!(types.len() >= 8);
        let mut codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), types.len());
        assert!(types.iter().all(|t| !t.grades.is_empty()));
        let mut categories: Vec<&str> = categories().iter().map(|c| c.code.as_str()).collect();
        assert!(categories.len() >= 30);
        categories.sort_unstable();
        categories.dedup();
        assert_eq!(categories.len(), super::categories().len());
    }

    #[test]
    fn general_contracting_grades_run_special_first_third() {
        let general = qualification_type("construction_general_contracting").expect("type");
        let (special, first, third) = (general.rank("special"), general.rank("first"), general.rank("third"));
        assert_eq!(special, Some(GradeRank(0)));
        assert!(special.expect("rank").is_at_least(first.expect("rank")));
        assert!(!third.expect("rank").is_at_least(first.expect("rank")));
        assert_eq!(general.rank("class_a"), None, "grades compare only within a type");
    }

    #[test]
    fn certificate_names_come_in_both_languages() {
        assert_eq!(qualification_names("engineering_design", "class_a", false), Some(("工程设计", "甲级")));
        assert_eq!(
            qualification_names("engineering_design", "class_a", true),
            Some(("Engineering design", "Class A"))
        );
        assert_eq!(qualification_names("engineering_design", "special", true), None);
    }

    #[test]
    fn design_grades_are_class_a_over_class_b() {
        let design = qualification_type("engineering_design").expect("type");
        assert!(design.rank("class_a").expect("a").is_at_least(design.rank("class_b").expect("b")));
        assert_eq!(category("municipal_roads").map(|c| c.zh.as_str()), Some("市政道路工程"));
    }
}
