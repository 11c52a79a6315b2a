DROP TABLE admin_events;
DROP TABLE staff_links;
DROP TABLE holiday_changes;
DROP TABLE department_signers;
DROP TABLE department_names;
DROP TABLE departments;
