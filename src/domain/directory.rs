//! The department directory (docs/PRODUCT.md, "Departments"): each department's queue, its
//! contact, the names its datasets carry in catalogs and who signs extensions for it. Routing
//! (`routing::route`) and the dataset page read it through the same lookups.

use super::access::{queue_name, StaffId};
use super::input::{limits, Email, Text};
use super::FieldErrors;

/// A department as the directory holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: i64,
    pub name: String,
    /// Made from the name when the department was added, and fixed: requests are filed under it.
    pub queue: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Publisher names its datasets carry in catalogs ("City of Concord Police Department").
    pub publishers: Vec<String>,
    /// Host names its datasets' addresses or its catalog's publisher carry
    /// ("information.stpaul.gov").
    pub hosts: Vec<String>,
    /// Who may sign an extension for its requests; none: its clerks and the admins.
    pub signers: Vec<StaffId>,
    pub version: i32,
}

/// Whether a catalog name is a publisher's name or a host name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Publisher,
    Host,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Publisher => "publisher",
            NameKind::Host => "host",
        }
    }

    pub fn parse(s: &str) -> Option<NameKind> {
        match s {
            "publisher" => Some(NameKind::Publisher),
            "host" => Some(NameKind::Host),
            _ => None,
        }
    }
}

/// How a catalog name is compared: case and runs of spaces ignored; a host name also
/// without a leading "www." or a trailing dot.
pub fn fold_name(name: &str) -> String {
    let spaced = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = spaced.to_lowercase();
    let lower = lower.trim_end_matches('.');
    lower.strip_prefix("www.").unwrap_or(lower).to_string()
}

/// The host name of a web address, folded; none for anything that is not http(s).
pub fn host_of(address: &str) -> Option<String> {
    let url = url::Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.host_str().map(fold_name).filter(|h| !h.is_empty())
}

/// Whether a name is shaped as a host name: letters, digits, hyphens and at least one dot.
pub fn is_host_name(name: &str) -> bool {
    let name = name.trim();
    name.contains('.')
        && !name.starts_with('.')
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && name.split('.').all(|label| !label.is_empty())
}

/// The longest host name (as sent, spaces around it included).
pub const MAX_HOST_CHARS: usize = 253;

/// The most publisher or host names a department lists.
pub const MAX_NAMES: usize = 100;

/// Every department, in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    departments: Vec<Department>,
}

impl Directory {
    pub fn new(mut departments: Vec<Department>) -> Directory {
        departments.sort_by_key(|d| d.name.to_lowercase());
        Directory { departments }
    }

    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    pub fn by_queue(&self, queue: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.queue == queue)
    }

    /// The department a staff member's department name stands for (by its queue).
    pub fn by_name(&self, name: &str) -> Option<&Department> {
        let queue = queue_name(name);
        self.by_queue(&queue)
    }

    /// The department whose datasets carry this publisher name (its own name, a publisher
    /// name or a host name: a portal may name the publisher by its host) or, failing that, one
    /// of these host names.
    pub fn for_catalog(&self, publisher: Option<&str>, hosts: &[String]) -> Option<&Department> {
        let by_publisher = publisher
            .map(fold_name)
            .filter(|p| !p.is_empty())
            .and_then(|p| {
                self.departments.iter().find(|d| {
                    fold_name(&d.name) == p
                        || d.publishers.iter().any(|n| fold_name(n) == p)
                        || d.hosts.iter().any(|h| fold_name(h) == p)
                })
            });
        by_publisher.or_else(|| {
            hosts.iter().find_map(|host| {
                let host = fold_name(host);
                self.departments
                    .iter()
                    .find(|d| d.hosts.iter().any(|h| fold_name(h) == host))
            })
        })
    }

    /// Who else claims a catalog name, other than the department `except`: a department's own
    /// name counts as one of its publisher names.
    pub fn claimant(&self, name: &str, except: Option<i64>) -> Option<&Department> {
        let folded = fold_name(name);
        self.departments
            .iter()
            .filter(|d| Some(d.id) != except)
            .find(|d| {
                std::iter::once(&d.name)
                    .chain(d.publishers.iter())
                    .chain(d.hosts.iter())
                    .any(|n| fold_name(n) == folded)
            })
    }
}

/// A department's details as an admin or the config writes them, before they are checked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartment {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Publisher names, one per entry (or one per line on the page).
    #[serde(default)]
    pub publishers: Vec<String>,
    /// Host names, one per entry.
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// A department's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentDetails {
    pub name: String,
    pub queue: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub publishers: Vec<String>,
    pub hosts: Vec<String>,
}

impl DepartmentDetails {
    /// Each catalog name with its kind.
    pub fn names(&self) -> impl Iterator<Item = (&str, NameKind)> {
        self.publishers
            .iter()
            .map(|n| (n.as_str(), NameKind::Publisher))
            .chain(self.hosts.iter().map(|h| (h.as_str(), NameKind::Host)))
    }
}

/// Checks a department's details on their own, and against the rest of the directory: a
/// queue or a catalog name another department has is refused. `editing` is the department
/// being changed, if it is not new.
pub fn check_department(
    raw: &RawDepartment,
    directory: &Directory,
    editing: Option<&Department>,
) -> Result<DepartmentDetails, FieldErrors> {
    let mut errors = FieldErrors::default();
    // The name makes the queue its requests are filed under and staff belong to: it is fixed
    // once the department is made.
    let name = match editing {
        Some(existing) => Text::line(&existing.name, limits::NAME).ok(),
        None => errors.check("name", Text::line(&raw.name, limits::NAME)),
    };
    let queue = match (editing, &name) {
        (Some(existing), _) => Some(existing.queue.clone()),
        (None, Some(name)) => {
            let queue = queue_name(name.as_str());
            if queue.is_empty() {
                errors.add("name", "must hold at least one letter or digit");
                None
            } else if queue == "new" {
                // `/staff/admin/departments/new` is the page that adds one.
                errors.add("name", "cannot be just \"New\"");
                None
            } else if let Some(other) = directory
                .claimant(name.as_str(), None)
                .filter(|d| d.queue != queue)
            {
                errors.add(
                    "name",
                    format!(
                        "{:?} is a catalog name of {}: a name places datasets in one department",
                        name.as_str(),
                        other.name
                    ),
                );
                None
            } else if directory.by_queue(&queue).is_some() {
                errors.add(
                    "name",
                    "there is already a department with this name (or one that differs only in case or punctuation)",
                );
                None
            } else {
                Some(queue)
            }
        }
        (None, None) => None,
    };
    // Blank is none; anything else is read as sent, as the API's schema states it.
    let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let email = given(&raw.email)
        .and_then(|e| errors.check("email", Email::parse(&e).map(|e| e.as_str().to_string())));
    let phone = given(&raw.phone).and_then(|p| {
        errors.check(
            "phone",
            super::input::parse_phone(&p).map(Text::into_string),
        )
    });
    let except = editing.map(|d| d.id);
    let mut seen: Vec<String> = Vec::new();
    let mut names = |field: &str, list: &[String], kind: NameKind, errors: &mut FieldErrors| {
        let mut kept = Vec::new();
        // Names another department has, each once, said in one message.
        let mut claimed: Vec<String> = Vec::new();
        if list.len() > MAX_NAMES {
            errors.add(field, format!("at most {MAX_NAMES} names"));
            return kept;
        }
        for raw in list {
            let entry = raw.trim();
            // A host name is measured as sent (the API's schema states it so).
            let shaped = match kind {
                NameKind::Publisher => Text::line(raw, limits::NAME).map(drop),
                NameKind::Host if raw.chars().count() > MAX_HOST_CHARS => {
                    Err(format!("must be at most {MAX_HOST_CHARS} characters"))
                }
                NameKind::Host if !is_host_name(entry) => {
                    Err("is not a host name such as data.example.gov".to_string())
                }
                NameKind::Host => Ok(()),
            };
            if let Err(message) = shaped {
                errors.add(field, format!("{entry:?}: {message}"));
                continue;
            }
            let folded = fold_name(entry);
            if seen.contains(&folded) {
                continue;
            }
            seen.push(folded);
            match directory.claimant(entry, except) {
                Some(other) => claimed.push(format!(
                    "{entry:?} already belongs to {}: a catalog name names one department",
                    other.name
                )),
                None => kept.push(entry.to_string()),
            }
        }
        if !claimed.is_empty() {
            errors.add(field, claimed.join("; "));
        }
        kept
    };
    let publishers = names(
        "publishers",
        &raw.publishers,
        NameKind::Publisher,
        &mut errors,
    );
    let hosts = names("hosts", &raw.hosts, NameKind::Host, &mut errors);
    match (name, queue) {
        (Some(name), Some(queue)) if errors.is_empty() => Ok(DepartmentDetails {
            name: name.into_string(),
            queue,
            email,
            phone,
            publishers,
            hosts,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn department(id: i64, name: &str, publishers: &[&str], hosts: &[&str]) -> Department {
        Department {
            id,
            name: name.into(),
            queue: queue_name(name),
            email: None,
            phone: None,
            publishers: publishers.iter().map(|s| s.to_string()).collect(),
            hosts: hosts.iter().map(|s| s.to_string()).collect(),
            signers: vec![],
            version: 1,
        }
    }

    fn directory() -> Directory {
        Directory::new(vec![
            department(
                1,
                "Information Technology",
                &[],
                &["information.stpaul.gov"],
            ),
            department(
                2,
                "GIS",
                &["Ramsey County GIS Portal"],
                &["data-ramseygis.opendata.arcgis.com"],
            ),
            department(3, "Police", &["City of Concord Police Department"], &[]),
        ])
    }

    #[test]
    fn a_publisher_is_found_by_its_name_alias_or_host_in_any_case() {
        let d = directory();
        let found = |p: &str| d.for_catalog(Some(p), &[]).map(|d| d.name.as_str());
        assert_eq!(
            found("information.stpaul.gov"),
            Some("Information Technology")
        );
        assert_eq!(
            found("INFORMATION.stpaul.gov."),
            Some("Information Technology")
        );
        assert_eq!(found("ramsey county  gis portal"), Some("GIS"));
        assert_eq!(found("Police"), Some("Police"));
        assert_eq!(found("city of concord police department"), Some("Police"));
        assert_eq!(found("Fire"), None);
    }

    #[test]
    fn a_host_of_the_datasets_addresses_places_it_when_the_publisher_does_not() {
        let d = directory();
        let hosts = vec![host_of("https://www.data-ramseygis.opendata.arcgis.com/x.csv").unwrap()];
        assert_eq!(d.for_catalog(Some("Somebody"), &hosts).unwrap().name, "GIS");
        assert_eq!(d.for_catalog(None, &hosts).unwrap().name, "GIS");
        assert_eq!(host_of("ftp://information.stpaul.gov/x"), None);
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn a_catalog_name_claimed_by_another_department_is_refused() {
        let d = directory();
        let raw = RawDepartment {
            name: "Maps".into(),
            publishers: vec!["ramsey county gis portal".into()],
            ..Default::default()
        };
        let errors = check_department(&raw, &d, None).unwrap_err();
        assert!(
            format!("{errors:?}").contains("already belongs to GIS"),
            "{errors:?}"
        );
        // Its own names are its own when it is edited.
        let gis = d.by_queue("gis").unwrap().clone();
        let same = RawDepartment {
            name: "GIS".into(),
            publishers: vec!["Ramsey County GIS Portal".into()],
            ..Default::default()
        };
        assert!(check_department(&same, &d, Some(&gis)).is_ok());
    }

    /// The kinds are stored by these names (`department_names.kind`): they never change.
    #[test]
    fn a_catalog_names_kind_is_stored_by_its_name_and_read_back() {
        assert_eq!(NameKind::Publisher.as_str(), "publisher");
        assert_eq!(NameKind::Host.as_str(), "host");
        for kind in [NameKind::Publisher, NameKind::Host] {
            assert_eq!(NameKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NameKind::parse("Host"), None);
    }

    #[test]
    fn a_departments_own_name_is_one_of_its_catalog_names() {
        let d = directory();
        // Another department may not list "Police" as its publisher...
        let raw = RawDepartment {
            name: "Records".into(),
            publishers: vec!["police".into()],
            ..Default::default()
        };
        let errors = check_department(&raw, &d, None).unwrap_err();
        assert!(errors.0.contains_key("publishers"), "{errors:?}");
        // ...and a new department may not be named after another's publisher name.
        let raw = RawDepartment {
            name: "Ramsey County GIS Portal".into(),
            ..Default::default()
        };
        let errors = check_department(&raw, &d, None).unwrap_err();
        assert!(
            format!("{errors:?}").contains("is a catalog name of GIS"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_new_department_needs_a_queue_of_its_own_and_hosts_must_be_host_names() {
        let d = directory();
        let taken = RawDepartment {
            name: "police".into(),
            ..Default::default()
        };
        assert!(check_department(&taken, &d, None).is_err());
        let symbols = RawDepartment {
            name: "!!!".into(),
            ..Default::default()
        };
        assert!(check_department(&symbols, &d, None).is_err());
        let bad_host = RawDepartment {
            name: "Fire".into(),
            hosts: vec!["not a host".into()],
            ..Default::default()
        };
        let errors = check_department(&bad_host, &d, None).unwrap_err();
        assert!(errors.0.contains_key("hosts"), "{errors:?}");
        let good = RawDepartment {
            name: "Fire Department".into(),
            email: Some(" fire@cityofconcord.org ".into()),
            hosts: vec!["fire.example.gov".into(), "FIRE.example.gov".into()],
            ..Default::default()
        };
        let checked = check_department(&good, &d, None).unwrap();
        assert_eq!(checked.queue, "fire_department");
        assert_eq!(
            checked.hosts,
            ["fire.example.gov"],
            "a repeated name is kept once"
        );
        assert_eq!(checked.email.as_deref(), Some("fire@cityofconcord.org"));
    }

    #[test]
    fn a_departments_name_and_queue_stay_as_made() {
        let d = directory();
        let police = d.by_queue("police").unwrap().clone();
        let raw = RawDepartment {
            name: "Sheriff".into(),
            ..Default::default()
        };
        let kept = check_department(&raw, &d, Some(&police)).unwrap();
        assert_eq!(
            (kept.name.as_str(), kept.queue.as_str()),
            ("Police", "police")
        );
    }
}
