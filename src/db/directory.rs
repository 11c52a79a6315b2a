//! The department directory's rows: `departments`, their catalog names and extension signers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{department_names, department_signers, departments};
use super::Conn;
use crate::domain::directory::{Department, DepartmentDetails, Directory, NameKind};
use crate::domain::ids::StaffId;

/// A department's own row: id, name, queue, email, phone, version.
type DepartmentRow = (i64, String, String, Option<String>, Option<String>, i32);

/// The whole directory, on one connection.
/// The name of the department whose queue this is, if the directory has it.
pub fn name_of(conn: &mut Conn, queue: &str) -> QueryResult<Option<String>> {
    departments::table
        .filter(departments::queue.eq(queue))
        .select(departments::name)
        .first(conn)
        .optional()
}

pub fn load(conn: &mut Conn) -> QueryResult<Directory> {
    let rows: Vec<DepartmentRow> = departments::table
        .select((
            departments::id,
            departments::name,
            departments::queue,
            departments::email,
            departments::phone,
            departments::version,
        ))
        .load(conn)?;
    let names: Vec<(i64, String, String)> = department_names::table
        .order(department_names::name)
        .select((
            department_names::department_id,
            department_names::name,
            department_names::kind,
        ))
        .load(conn)?;
    let signers: Vec<(i64, StaffId)> = department_signers::table
        .order(department_signers::staff_id)
        .select((
            department_signers::department_id,
            department_signers::staff_id,
        ))
        .load(conn)?;
    let departments = rows
        .into_iter()
        .map(|(id, name, queue, email, phone, version)| {
            let of = |kind: NameKind| {
                names
                    .iter()
                    .filter(|(d, _, k)| *d == id && NameKind::parse(k) == Some(kind))
                    .map(|(_, n, _)| n.clone())
                    .collect()
            };
            Department {
                id,
                name,
                queue,
                email,
                phone,
                publishers: of(NameKind::Publisher),
                hosts: of(NameKind::Host),
                signers: signers
                    .iter()
                    .filter(|(d, _)| *d == id)
                    .map(|(_, s)| *s)
                    .collect(),
                version,
            }
        })
        .collect();
    Ok(Directory::new(departments))
}

pub fn insert(
    conn: &mut Conn,
    details: &DepartmentDetails,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id = diesel::insert_into(departments::table)
        .values((
            departments::name.eq(&details.name),
            departments::queue.eq(&details.queue),
            departments::email.eq(&details.email),
            departments::phone.eq(&details.phone),
            departments::version.eq(1),
            departments::created_at.eq(now),
            departments::updated_at.eq(now),
        ))
        .returning(departments::id)
        .get_result(conn)?;
    put_names(conn, id, details)?;
    Ok(id)
}

/// Changes a department as of `version`; false when it changed since (or is gone).
pub fn update(
    conn: &mut Conn,
    id: i64,
    version: i32,
    details: &DepartmentDetails,
    signers: &[StaffId],
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        departments::table
            .filter(departments::id.eq(id))
            .filter(departments::version.eq(version)),
    )
    .set((
        departments::name.eq(&details.name),
        departments::email.eq(&details.email),
        departments::phone.eq(&details.phone),
        departments::version.eq(version + 1),
        departments::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::delete(department_names::table.filter(department_names::department_id.eq(id)))
        .execute(conn)?;
    put_names(conn, id, details)?;
    diesel::delete(department_signers::table.filter(department_signers::department_id.eq(id)))
        .execute(conn)?;
    for staff_id in signers {
        diesel::insert_into(department_signers::table)
            .values((
                department_signers::department_id.eq(id),
                department_signers::staff_id.eq(staff_id),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

fn put_names(conn: &mut Conn, id: i64, details: &DepartmentDetails) -> QueryResult<()> {
    for (name, kind) in details.names() {
        diesel::insert_into(department_names::table)
            .values((
                department_names::folded.eq(crate::domain::directory::fold_name(name)),
                department_names::department_id.eq(id),
                department_names::name.eq(name),
                department_names::kind.eq(kind.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Who signs extensions for the department with this queue (none listed: empty).
pub fn signers_of(conn: &mut Conn, queue: &str) -> QueryResult<Vec<StaffId>> {
    department_signers::table
        .inner_join(departments::table)
        .filter(departments::queue.eq(queue))
        .select(department_signers::staff_id)
        .load(conn)
}
