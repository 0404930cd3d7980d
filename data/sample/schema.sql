-- Ferry sample database: schema
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A fictional retailer ("Ferry Goods") with the modules a real business
-- system grows over the years: shared reference data (core), people (hr),
-- customers (crm), products and stock (inventory), orders (sales), money
-- (billing), shipping (logistics), customer service (support), an audit
-- trail (audit) and a BI schema whose name needs quoting ("Reporting
-- Ümlaut").
--
-- 166 tables (relkind r and p outside the system schemas) and 260
-- foreign keys (279 rows in pg_constraint: partitions carry copies of
-- their parent's). Every hard case a migration tool meets in the wild is
-- here at least once; README.md lists them and where they live. Load
-- data.sql after this file (or use ferry-sample-load).
--
-- Conventions: every object is schema-qualified; foreign keys that close a
-- cycle are added at the end, in the "cycles" section, with the tables they
-- connect already in place.

SET client_min_messages = warning;
SET check_function_bodies = on;

CREATE EXTENSION IF NOT EXISTS citext;

CREATE SCHEMA core;
CREATE SCHEMA hr;
CREATE SCHEMA crm;
CREATE SCHEMA inventory;
CREATE SCHEMA sales;
CREATE SCHEMA billing;
CREATE SCHEMA logistics;
CREATE SCHEMA support;
CREATE SCHEMA audit;
CREATE SCHEMA "Reporting Ümlaut";

COMMENT ON SCHEMA core IS 'Reference data and identities shared by all modules';
COMMENT ON SCHEMA "Reporting Ümlaut" IS 'Aggregates for the BI team (mixed-case, non-ASCII schema name)';

-- ===========================================================================
-- Types, domains and standalone sequences
-- ===========================================================================

CREATE DOMAIN core.country_code AS char(2)
  CHECK (VALUE ~ '^[A-Z]{2}$');
CREATE DOMAIN core.currency_code AS char(3)
  CHECK (VALUE ~ '^[A-Z]{3}$');
CREATE DOMAIN core.email AS citext
  CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$');
CREATE DOMAIN core.positive_amount AS numeric(14,2)
  CHECK (VALUE >= 0);
CREATE DOMAIN core.percentage AS numeric(5,2)
  CHECK (VALUE BETWEEN 0 AND 100);

-- A composite type used as a column type. Binary COPY embeds type OIDs for
-- composite values, so a tool must not assume binary works for every column.
CREATE TYPE core.money_amount AS (
  amount   numeric(14,2),
  currency char(3)
);

CREATE TYPE hr.employment_status AS ENUM ('active', 'on_leave', 'terminated');
CREATE TYPE crm.customer_segment AS ENUM ('consumer', 'small_business', 'enterprise', 'public_sector');
CREATE TYPE inventory.movement_kind AS ENUM ('receipt', 'shipment', 'transfer', 'adjustment', 'return');
CREATE TYPE sales.order_status AS ENUM ('draft', 'placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned');
CREATE TYPE billing.invoice_status AS ENUM ('draft', 'issued', 'paid', 'overdue', 'void');
CREATE TYPE support.ticket_status AS ENUM ('new', 'open', 'pending', 'solved', 'closed');
CREATE TYPE support.ticket_priority AS ENUM ('low', 'normal', 'high', 'urgent');
CREATE TYPE support.ticket_label AS ENUM ('billing', 'delivery', 'damaged', 'refund', 'account', 'vip', 'legal');

-- Standalone sequences: not owned by any column. Their state must migrate
-- too (invoice numbers must not be reused).
CREATE SEQUENCE billing.invoice_number_seq START WITH 1000 CACHE 1;
CREATE SEQUENCE core.event_id_seq AS bigint START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE core.legacy_customer_no_seq AS integer
  START WITH 100000 INCREMENT BY 7 MINVALUE 100000 MAXVALUE 999999 CYCLE;

-- ===========================================================================
-- public: migration bookkeeping of the application, and an extension's table
-- ===========================================================================

-- The application's own schema-migration history: a text primary key.
CREATE TABLE public.schema_migrations (
  version     text PRIMARY KEY,
  description text NOT NULL,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL,
  success     boolean NOT NULL DEFAULT true
);

-- A table that belongs to an extension (pg_depend deptype 'e'), like
-- PostGIS's spatial_ref_sys. pg_dump does not dump it as a table.
CREATE TABLE public.citext_locale_rules (
  pattern     citext PRIMARY KEY,
  replacement text NOT NULL
);
ALTER EXTENSION citext ADD TABLE public.citext_locale_rules;

-- ===========================================================================
-- core: reference data, identities
-- ===========================================================================

CREATE TABLE core.currencies (
  code        core.currency_code PRIMARY KEY,
  name        text NOT NULL,
  symbol      text,
  minor_units smallint NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE core.countries (
  code          core.country_code PRIMARY KEY,
  iso3          char(3) NOT NULL UNIQUE,
  name          text NOT NULL,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  phone_prefix  text,
  eu_member     boolean NOT NULL DEFAULT false
);

CREATE TABLE core.exchange_rates (
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  rate_date     date NOT NULL,
  rate          numeric(18,8) NOT NULL CHECK (rate > 0),
  PRIMARY KEY (currency_code, rate_date)
);

CREATE TABLE core.languages (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  name        text NOT NULL,
  native_name text NOT NULL
);

CREATE TABLE core.time_zones (
  name         text PRIMARY KEY,
  utc_offset   interval NOT NULL,
  observes_dst boolean NOT NULL
);

CREATE TABLE core.regions (
  id           serial PRIMARY KEY,
  country_code core.country_code NOT NULL REFERENCES core.countries,
  code         text NOT NULL,
  name         text NOT NULL,
  UNIQUE (country_code, code)
);

CREATE TABLE core.cities (
  id         serial PRIMARY KEY,
  region_id  integer NOT NULL REFERENCES core.regions,
  name       text NOT NULL,
  population integer CHECK (population >= 0),
  time_zone  text NOT NULL REFERENCES core.time_zones,
  UNIQUE (region_id, name)
);

CREATE TABLE core.addresses (
  id           bigserial PRIMARY KEY,
  line1        text NOT NULL,
  line2        text,
  postal_code  text NOT NULL,
  city_id      integer NOT NULL REFERENCES core.cities,
  country_code core.country_code NOT NULL REFERENCES core.countries,
  geo          point,
  verified     boolean NOT NULL DEFAULT false
);
CREATE INDEX addresses_city_idx ON core.addresses (city_id);

CREATE TABLE core.organizations (
  id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  legal_name   text NOT NULL,
  vat_number   text UNIQUE,
  country_code core.country_code NOT NULL REFERENCES core.countries,
  address_id   bigint REFERENCES core.addresses,
  parent_id    integer REFERENCES core.organizations
);

-- A uuid primary key: no integer key to split ranges on.
CREATE TABLE core.users (
  id              uuid PRIMARY KEY,
  email           core.email NOT NULL UNIQUE,
  display_name    text NOT NULL,
  language_code   text NOT NULL REFERENCES core.languages,
  time_zone       text NOT NULL REFERENCES core.time_zones,
  organization_id integer REFERENCES core.organizations,
  is_active       boolean NOT NULL DEFAULT true,
  password_hash   bytea,
  preferences     jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_login_at   timestamptz
);

CREATE TABLE core.roles (
  id          smallint PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  description text
);

CREATE TABLE core.permissions (
  code        text PRIMARY KEY,
  description text NOT NULL
);

CREATE TABLE core.role_permissions (
  role_id         smallint NOT NULL REFERENCES core.roles ON DELETE CASCADE,
  permission_code text NOT NULL REFERENCES core.permissions ON UPDATE CASCADE,
  PRIMARY KEY (role_id, permission_code)
);

CREATE TABLE core.user_roles (
  user_id    uuid NOT NULL REFERENCES core.users ON DELETE CASCADE,
  role_id    smallint NOT NULL REFERENCES core.roles,
  granted_by uuid REFERENCES core.users ON DELETE SET NULL,
  granted_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, role_id)
);

CREATE TABLE core.settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_by uuid REFERENCES core.users,
  updated_at timestamptz NOT NULL
);

CREATE TABLE core.feature_flags (
  name            text PRIMARY KEY,
  enabled         boolean NOT NULL DEFAULT false,
  rollout_percent core.percentage NOT NULL DEFAULT 0,
  owner_id        uuid REFERENCES core.users
);

-- Self-reference through a text key ("kg" is based on "g").
CREATE TABLE core.units_of_measure (
  code      text PRIMARY KEY,
  name      text NOT NULL,
  base_code text REFERENCES core.units_of_measure,
  factor    numeric(18,6) NOT NULL DEFAULT 1
);

-- A three-column composite primary key.
CREATE TABLE core.tax_rates (
  country_code core.country_code NOT NULL REFERENCES core.countries,
  category     text NOT NULL CHECK (category IN ('standard', 'reduced', 'zero')),
  valid_from   date NOT NULL,
  rate         core.percentage NOT NULL,
  PRIMARY KEY (country_code, category, valid_from)
);

CREATE TABLE core.holidays (
  country_code core.country_code NOT NULL REFERENCES core.countries,
  day          date NOT NULL,
  name         text NOT NULL,
  PRIMARY KEY (country_code, day)
);

-- content_oid points at a large object (pg_largeobject), which lives
-- outside any table and must be migrated separately.
CREATE TABLE core.documents (
  id          bigserial PRIMARY KEY,
  title       text NOT NULL,
  mime_type   text NOT NULL,
  content_oid oid NOT NULL UNIQUE,
  sha256      bytea NOT NULL,
  uploaded_by uuid REFERENCES core.users,
  uploaded_at timestamptz NOT NULL
);

-- UNLOGGED: not WAL-logged, emptied after a crash. The target should get
-- an unlogged table too (and its data, if the source still has it).
CREATE UNLOGGED TABLE core.sessions (
  token      text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES core.users ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  data       jsonb,
  CHECK (expires_at > created_at)
);

-- ===========================================================================
-- hr: departments, employees, payroll
-- ===========================================================================

CREATE TABLE hr.locations (
  id         smallint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  address_id bigint NOT NULL REFERENCES core.addresses
);

-- cost_center_id and head_employee_id close cycles; see the end of the file.
CREATE TABLE hr.departments (
  id               integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  name             text NOT NULL,
  parent_id        integer REFERENCES hr.departments,
  location_id      smallint REFERENCES hr.locations,
  cost_center_id   integer NOT NULL,
  head_employee_id integer
);

CREATE TABLE hr.job_titles (
  id         smallint PRIMARY KEY,
  title      text NOT NULL UNIQUE,
  grade      smallint NOT NULL,
  min_salary numeric(12,2) NOT NULL,
  max_salary numeric(12,2) NOT NULL,
  CHECK (min_salary <= max_salary)
);

-- Identity GENERATED ALWAYS, a generated column, a self-reference, an
-- array, an enum and a domain.
CREATE TABLE hr.employees (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_no     text NOT NULL UNIQUE,
  user_id         uuid UNIQUE REFERENCES core.users,
  first_name      text NOT NULL,
  last_name       text NOT NULL,
  full_name       text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
  email           core.email NOT NULL,
  department_id   integer NOT NULL REFERENCES hr.departments,
  manager_id      integer REFERENCES hr.employees,
  job_title_id    smallint NOT NULL REFERENCES hr.job_titles,
  home_address_id bigint REFERENCES core.addresses,
  birth_date      date,
  hired_on        date NOT NULL,
  terminated_on   date,
  salary          numeric(12,2) NOT NULL CHECK (salary > 0),
  status          hr.employment_status NOT NULL DEFAULT 'active',
  skills          text[] NOT NULL DEFAULT '{}',
  CHECK (terminated_on IS NULL OR terminated_on >= hired_on),
  CHECK ((status = 'terminated') = (terminated_on IS NOT NULL))
);
CREATE INDEX employees_department_idx ON hr.employees (department_id);
CREATE INDEX employees_manager_idx ON hr.employees (manager_id);

CREATE TABLE hr.employee_job_history (
  employee_id   integer NOT NULL REFERENCES hr.employees,
  valid_from    date NOT NULL,
  valid_to      date,
  job_title_id  smallint NOT NULL REFERENCES hr.job_titles,
  department_id integer NOT NULL REFERENCES hr.departments,
  PRIMARY KEY (employee_id, valid_from)
);

CREATE TABLE hr.salary_history (
  employee_id   integer NOT NULL REFERENCES hr.employees,
  effective_on  date NOT NULL,
  salary        numeric(12,2) NOT NULL CHECK (salary > 0),
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  approved_by   integer REFERENCES hr.employees,
  PRIMARY KEY (employee_id, effective_on)
);

-- A range column with an exclusion constraint: payroll periods never overlap.
CREATE TABLE hr.payroll_runs (
  id          integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  period      daterange NOT NULL,
  run_at      timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('draft', 'approved', 'paid')),
  approved_by integer REFERENCES hr.employees,
  EXCLUDE USING gist (period WITH &&)
);

CREATE TABLE hr.payslips (
  run_id        integer NOT NULL REFERENCES hr.payroll_runs,
  employee_id   integer NOT NULL REFERENCES hr.employees,
  gross         numeric(12,2) NOT NULL,
  tax           numeric(12,2) NOT NULL,
  net           numeric(12,2) NOT NULL,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  PRIMARY KEY (run_id, employee_id),
  CHECK (net <= gross)
);

-- A composite foreign key onto a composite primary key.
CREATE TABLE hr.payslip_lines (
  run_id      integer NOT NULL,
  employee_id integer NOT NULL,
  line_no     smallint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('base', 'bonus', 'overtime', 'tax', 'pension', 'health')),
  amount      numeric(12,2) NOT NULL,
  PRIMARY KEY (run_id, employee_id, line_no),
  FOREIGN KEY (run_id, employee_id) REFERENCES hr.payslips ON DELETE CASCADE
);

CREATE TABLE hr.leave_types (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  paid          boolean NOT NULL,
  days_per_year smallint
);

CREATE TABLE hr.leave_requests (
  id           bigserial PRIMARY KEY,
  employee_id  integer NOT NULL REFERENCES hr.employees,
  leave_type   text NOT NULL REFERENCES hr.leave_types,
  during       daterange NOT NULL,
  status       text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
  approved_by  integer REFERENCES hr.employees,
  requested_at timestamptz NOT NULL
);

CREATE TABLE hr.timesheets (
  id           bigserial PRIMARY KEY,
  employee_id  integer NOT NULL REFERENCES hr.employees,
  week_start   date NOT NULL,
  submitted_at timestamptz,
  approved_by  integer REFERENCES hr.employees,
  UNIQUE (employee_id, week_start)
);

CREATE TABLE hr.timesheet_entries (
  timesheet_id bigint NOT NULL REFERENCES hr.timesheets ON DELETE CASCADE,
  work_date    date NOT NULL,
  project      text NOT NULL,
  hours        numeric(4,2) NOT NULL CHECK (hours > 0 AND hours <= 24),
  PRIMARY KEY (timesheet_id, work_date, project)
);

CREATE TABLE hr.benefits (
  id           smallint PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  monthly_cost numeric(10,2) NOT NULL
);

CREATE TABLE hr.employee_benefits (
  employee_id integer NOT NULL REFERENCES hr.employees,
  benefit_id  smallint NOT NULL REFERENCES hr.benefits,
  enrolled_on date NOT NULL,
  PRIMARY KEY (employee_id, benefit_id)
);

CREATE TABLE hr.trainings (
  id       integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title    text NOT NULL,
  provider text NOT NULL,
  duration interval NOT NULL,
  cost     numeric(10,2) NOT NULL
);

CREATE TABLE hr.training_attendance (
  training_id integer NOT NULL REFERENCES hr.trainings,
  employee_id integer NOT NULL REFERENCES hr.employees,
  attended_on date NOT NULL,
  score       smallint CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (training_id, employee_id)
);

CREATE TABLE hr.performance_reviews (
  id          bigserial PRIMARY KEY,
  employee_id integer NOT NULL REFERENCES hr.employees,
  reviewer_id integer NOT NULL REFERENCES hr.employees,
  period      text NOT NULL,
  rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comments    text,
  UNIQUE (employee_id, period)
);

-- ===========================================================================
-- billing (part 1): cost centres, part of the hr cycle
-- ===========================================================================

-- owner_employee_id closes the three-table cycle
--   hr.employees -> hr.departments -> billing.cost_centers -> hr.employees
CREATE TABLE billing.cost_centers (
  id                integer PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  name              text NOT NULL,
  parent_id         integer REFERENCES billing.cost_centers,
  owner_employee_id integer
);

-- ===========================================================================
-- crm: accounts, contacts, customers
-- ===========================================================================

-- primary_contact_id closes a two-table cycle with crm.contacts; it is NOT
-- NULL and DEFERRABLE INITIALLY DEFERRED, so both sides are inserted in one
-- transaction (added at the end of the file).
CREATE TABLE crm.accounts (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name               text NOT NULL,
  organization_id    integer REFERENCES core.organizations,
  owner_employee_id  integer REFERENCES hr.employees,
  primary_contact_id bigint NOT NULL,
  created_at         timestamptz NOT NULL
);

CREATE TABLE crm.contacts (
  id         bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES crm.accounts,
  first_name text NOT NULL,
  last_name  text NOT NULL,
  email      core.email,
  phone      text,
  job_title  text,
  created_at timestamptz NOT NULL
);

-- Legacy table inheritance: the child shares the parent's columns and its
-- id sequence; "SELECT … FROM crm.contacts" also returns the child's rows.
CREATE TABLE crm.contacts_legacy (
  imported_from text NOT NULL,
  legacy_id     integer NOT NULL UNIQUE
) INHERITS (crm.contacts);
ALTER TABLE crm.contacts_legacy ADD PRIMARY KEY (id);
ALTER TABLE crm.contacts_legacy
  ADD FOREIGN KEY (account_id) REFERENCES crm.accounts;

CREATE TABLE crm.customers (
  id                  bigserial PRIMARY KEY,
  customer_no         text NOT NULL UNIQUE,
  name                text NOT NULL,
  search_key          text,
  segment             crm.customer_segment NOT NULL,
  email               core.email,
  phone               text,
  legacy_fax          text,
  account_id          bigint REFERENCES crm.accounts,
  country_code        core.country_code NOT NULL REFERENCES core.countries,
  billing_address_id  bigint REFERENCES core.addresses,
  shipping_address_id bigint REFERENCES core.addresses,
  credit_limit        core.money_amount,
  tags                text[] NOT NULL DEFAULT '{}',
  attributes          jsonb NOT NULL DEFAULT '{}',
  created_by          uuid REFERENCES core.users,
  created_at          timestamptz NOT NULL
);
CREATE INDEX customers_search_idx ON crm.customers (search_key text_pattern_ops);
CREATE INDEX customers_attributes_idx ON crm.customers USING gin (attributes jsonb_path_ops);
-- A dropped column: attisdropped rows stay in pg_attribute and the column
-- numbers of source and target differ.
ALTER TABLE crm.customers DROP COLUMN legacy_fax;
-- A CHECK constraint that was added NOT VALID and never validated.
ALTER TABLE crm.customers
  ADD CONSTRAINT customers_phone_format CHECK (phone ~ '^\+[0-9 ]+$') NOT VALID;

CREATE TABLE crm.customer_addresses (
  customer_id bigint NOT NULL REFERENCES crm.customers ON DELETE CASCADE,
  address_id  bigint NOT NULL REFERENCES core.addresses,
  kind        text NOT NULL CHECK (kind IN ('billing', 'shipping', 'other')),
  PRIMARY KEY (customer_id, address_id, kind)
);

CREATE TABLE crm.customer_tags (
  customer_id bigint NOT NULL REFERENCES crm.customers ON DELETE CASCADE,
  tag         citext NOT NULL,
  PRIMARY KEY (customer_id, tag)
);

CREATE TABLE crm.opportunity_stages (
  code        text PRIMARY KEY,
  position    smallint NOT NULL UNIQUE,
  probability core.percentage NOT NULL
);

CREATE TABLE crm.leads (
  id                    bigserial PRIMARY KEY,
  source                text NOT NULL,
  company               text,
  contact_name          text NOT NULL,
  email                 core.email,
  country_code          core.country_code REFERENCES core.countries,
  status                text NOT NULL CHECK (status IN ('new', 'qualified', 'converted', 'lost')),
  assigned_to           integer REFERENCES hr.employees,
  converted_customer_id bigint REFERENCES crm.customers,
  created_at            timestamptz NOT NULL
);

CREATE TABLE crm.opportunities (
  id             bigserial PRIMARY KEY,
  account_id     bigint NOT NULL REFERENCES crm.accounts,
  customer_id    bigint REFERENCES crm.customers,
  stage          text NOT NULL REFERENCES crm.opportunity_stages ON UPDATE CASCADE,
  amount         numeric(14,2) NOT NULL,
  currency_code  core.currency_code NOT NULL REFERENCES core.currencies,
  expected_close date,
  owner_id       integer REFERENCES hr.employees
);

CREATE TABLE crm.activities (
  id             bigserial PRIMARY KEY,
  opportunity_id bigint REFERENCES crm.opportunities ON DELETE CASCADE,
  contact_id     bigint REFERENCES crm.contacts,
  kind           text NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'task')),
  due_at         timestamptz NOT NULL,
  done           boolean NOT NULL DEFAULT false,
  notes          text
);

CREATE TABLE crm.campaigns (
  id        integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name      text NOT NULL,
  channel   text NOT NULL,
  starts_on date NOT NULL,
  ends_on   date NOT NULL,
  budget    numeric(12,2),
  CHECK (ends_on >= starts_on)
);

CREATE TABLE crm.campaign_members (
  campaign_id integer NOT NULL REFERENCES crm.campaigns ON DELETE CASCADE,
  customer_id bigint NOT NULL REFERENCES crm.customers ON DELETE CASCADE,
  joined_at   timestamptz NOT NULL,
  responded   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (campaign_id, customer_id)
);

-- Same table name as support.notes.
CREATE TABLE crm.notes (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES crm.customers ON DELETE CASCADE,
  author_id   uuid REFERENCES core.users,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL
);

-- One-to-one with customers: the primary key is also the foreign key.
CREATE TABLE crm.loyalty_accounts (
  customer_id bigint PRIMARY KEY REFERENCES crm.customers ON DELETE CASCADE,
  tier        text NOT NULL CHECK (tier IN ('bronze', 'silver', 'gold', 'platinum')),
  points      integer NOT NULL DEFAULT 0,
  member_since date NOT NULL
);

CREATE TABLE crm.loyalty_transactions (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES crm.loyalty_accounts ON DELETE CASCADE,
  points      integer NOT NULL CHECK (points <> 0),
  reason      text NOT NULL,
  occurred_at timestamptz NOT NULL
);

-- ===========================================================================
-- inventory: catalogue, warehouses, stock
-- ===========================================================================

-- Self-reference: the category tree.
CREATE TABLE inventory.categories (
  id        integer PRIMARY KEY,
  parent_id integer REFERENCES inventory.categories,
  name      text NOT NULL,
  slug      text NOT NULL UNIQUE,
  path      text NOT NULL
);

CREATE TABLE inventory.brands (
  id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  country_code core.country_code REFERENCES core.countries
);

CREATE TABLE inventory.suppliers (
  id            integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  vat_number    text NOT NULL UNIQUE,
  country_code  core.country_code NOT NULL REFERENCES core.countries,
  address_id    bigint REFERENCES core.addresses,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  payment_terms interval NOT NULL DEFAULT '30 days',
  rating        numeric(2,1) CHECK (rating BETWEEN 0 AND 5),
  account_manager_id integer REFERENCES hr.employees
);

CREATE TABLE inventory.supplier_contacts (
  supplier_id integer NOT NULL REFERENCES inventory.suppliers ON DELETE CASCADE,
  position    smallint NOT NULL,
  name        text NOT NULL,
  email       core.email,
  phone       text,
  PRIMARY KEY (supplier_id, position)
);

-- Identity BY DEFAULT, a "C"-collated key, an integer array, jsonb and a
-- tsvector.
CREATE TABLE inventory.products (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sku           text COLLATE "C" NOT NULL UNIQUE,
  name          text NOT NULL,
  description   text,
  category_id   integer NOT NULL REFERENCES inventory.categories,
  brand_id      integer REFERENCES inventory.brands,
  supplier_id   integer NOT NULL REFERENCES inventory.suppliers,
  unit_code     text NOT NULL REFERENCES core.units_of_measure,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  list_price    core.positive_amount NOT NULL,
  weight_kg     numeric(8,3),
  dimensions_mm integer[],
  attributes    jsonb NOT NULL DEFAULT '{}',
  search        tsvector,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discontinued', 'draft')),
  created_by    uuid REFERENCES core.users,
  created_at    timestamptz NOT NULL
);
CREATE INDEX products_category_idx ON inventory.products (category_id);
CREATE INDEX products_search_idx ON inventory.products USING gin (search);

-- Large binary values, stored out of line (TOAST) and uncompressed.
CREATE TABLE inventory.product_images (
  product_id bigint NOT NULL REFERENCES inventory.products ON DELETE CASCADE,
  image_no   smallint NOT NULL,
  mime_type  text NOT NULL,
  image      bytea NOT NULL,
  PRIMARY KEY (product_id, image_no)
);
ALTER TABLE inventory.product_images ALTER COLUMN image SET STORAGE EXTERNAL;

CREATE TABLE inventory.product_barcodes (
  barcode    text PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES inventory.products ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('EAN-13', 'UPC-A', 'QR'))
);

-- Two foreign keys to the same table.
CREATE TABLE inventory.product_relations (
  product_id         bigint NOT NULL REFERENCES inventory.products ON DELETE CASCADE,
  related_product_id bigint NOT NULL REFERENCES inventory.products ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('accessory', 'replacement', 'similar')),
  PRIMARY KEY (product_id, related_product_id, kind),
  CHECK (product_id <> related_product_id)
);

CREATE TABLE inventory.warehouses (
  id          smallint PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  address_id  bigint NOT NULL REFERENCES core.addresses,
  manager_id  integer REFERENCES hr.employees,
  time_zone   text NOT NULL REFERENCES core.time_zones,
  capacity_m3 numeric(10,1)
);

CREATE TABLE inventory.warehouse_zones (
  warehouse_id           smallint NOT NULL REFERENCES inventory.warehouses,
  zone_code              text NOT NULL,
  temperature_controlled boolean NOT NULL DEFAULT false,
  PRIMARY KEY (warehouse_id, zone_code)
);

CREATE TABLE inventory.bins (
  warehouse_id  smallint NOT NULL,
  zone_code     text NOT NULL,
  bin_code      text NOT NULL,
  max_weight_kg numeric(8,1) NOT NULL,
  PRIMARY KEY (warehouse_id, zone_code, bin_code),
  FOREIGN KEY (warehouse_id, zone_code) REFERENCES inventory.warehouse_zones
);

-- A generated column and a fill factor.
CREATE TABLE inventory.stock (
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses,
  product_id   bigint NOT NULL REFERENCES inventory.products,
  on_hand      integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved     integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  available    integer GENERATED ALWAYS AS (on_hand - reserved) STORED,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (warehouse_id, product_id),
  CHECK (reserved <= on_hand)
) WITH (fillfactor = 80);

-- One of the big tables. order_id gets its foreign key once sales.orders
-- exists (below).
CREATE TABLE inventory.stock_movements (
  id           bigserial PRIMARY KEY,
  warehouse_id smallint NOT NULL,
  product_id   bigint NOT NULL,
  kind         inventory.movement_kind NOT NULL,
  quantity     integer NOT NULL CHECK (quantity <> 0),
  moved_at     timestamptz NOT NULL,
  order_id     bigint,
  employee_id  integer REFERENCES hr.employees,
  reference    text,
  FOREIGN KEY (warehouse_id, product_id) REFERENCES inventory.stock
);
CREATE INDEX stock_movements_product_idx ON inventory.stock_movements (product_id, moved_at);

CREATE TABLE inventory.purchase_orders (
  id            bigserial PRIMARY KEY,
  supplier_id   integer NOT NULL REFERENCES inventory.suppliers,
  warehouse_id  smallint NOT NULL REFERENCES inventory.warehouses,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  ordered_at    timestamptz NOT NULL,
  expected_on   date,
  status        text NOT NULL CHECK (status IN ('open', 'received', 'cancelled')),
  created_by    integer REFERENCES hr.employees
);

CREATE TABLE inventory.purchase_order_lines (
  purchase_order_id bigint NOT NULL REFERENCES inventory.purchase_orders ON DELETE CASCADE,
  line_no           smallint NOT NULL,
  product_id        bigint NOT NULL REFERENCES inventory.products,
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_cost         numeric(12,2) NOT NULL,
  PRIMARY KEY (purchase_order_id, line_no)
);

CREATE TABLE inventory.goods_receipts (
  id                bigserial PRIMARY KEY,
  purchase_order_id bigint NOT NULL REFERENCES inventory.purchase_orders,
  received_at       timestamptz NOT NULL,
  received_by       integer REFERENCES hr.employees
);

CREATE TABLE inventory.goods_receipt_lines (
  receipt_id        bigint NOT NULL REFERENCES inventory.goods_receipts ON DELETE CASCADE,
  purchase_order_id bigint NOT NULL,
  po_line_no        smallint NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (receipt_id, purchase_order_id, po_line_no),
  FOREIGN KEY (purchase_order_id, po_line_no) REFERENCES inventory.purchase_order_lines
);

CREATE TABLE inventory.stock_counts (
  id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses,
  counted_on   date NOT NULL,
  counted_by   integer REFERENCES hr.employees
);

CREATE TABLE inventory.stock_count_lines (
  count_id   integer NOT NULL REFERENCES inventory.stock_counts ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES inventory.products,
  expected   integer NOT NULL,
  counted    integer NOT NULL,
  PRIMARY KEY (count_id, product_id)
);

-- ===========================================================================
-- sales: price lists, orders, returns, carts, events
-- ===========================================================================

CREATE TABLE sales.channels (
  code   text PRIMARY KEY,
  name   text NOT NULL,
  online boolean NOT NULL
);

CREATE TABLE sales.price_lists (
  id            smallint PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies,
  valid_from    date NOT NULL,
  valid_to      date
);

CREATE TABLE sales.price_list_items (
  price_list_id smallint NOT NULL REFERENCES sales.price_lists ON DELETE CASCADE,
  product_id    bigint NOT NULL REFERENCES inventory.products ON DELETE CASCADE,
  price         core.positive_amount NOT NULL,
  PRIMARY KEY (price_list_id, product_id)
);

-- A citext primary key.
CREATE TABLE sales.coupons (
  code             citext PRIMARY KEY,
  discount_percent core.percentage NOT NULL,
  valid_until      date NOT NULL,
  max_uses         integer
);

CREATE TABLE sales.orders (
  id                  bigserial PRIMARY KEY,
  order_no            text NOT NULL UNIQUE,
  customer_id         bigint NOT NULL REFERENCES crm.customers,
  channel             text NOT NULL REFERENCES sales.channels,
  status              sales.order_status NOT NULL DEFAULT 'draft',
  ordered_at          timestamptz NOT NULL,
  shipping_address_id bigint REFERENCES core.addresses,
  billing_address_id  bigint REFERENCES core.addresses,
  currency_code       core.currency_code NOT NULL REFERENCES core.currencies,
  price_list_id       smallint REFERENCES sales.price_lists,
  salesperson_id      integer REFERENCES hr.employees,
  coupon_code         citext REFERENCES sales.coupons,
  total_amount        numeric(14,2) NOT NULL DEFAULT 0,
  notes               text,
  created_by          uuid REFERENCES core.users
);
CREATE INDEX orders_customer_idx ON sales.orders (customer_id);
CREATE INDEX orders_ordered_at_idx ON sales.orders (ordered_at);

-- The biggest table: composite primary key, a generated column, a
-- deferrable (initially immediate) foreign key.
CREATE TABLE sales.order_lines (
  order_id   bigint NOT NULL REFERENCES sales.orders ON DELETE CASCADE
               DEFERRABLE INITIALLY IMMEDIATE,
  line_no    smallint NOT NULL,
  product_id bigint NOT NULL REFERENCES inventory.products,
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(12,2) NOT NULL CHECK (unit_price >= 0),
  discount   numeric(4,3) NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount < 1),
  line_total numeric(14,2) GENERATED ALWAYS AS (round(quantity * unit_price * (1 - discount), 2)) STORED,
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_product_idx ON sales.order_lines (product_id);

CREATE TABLE sales.order_status_history (
  order_id   bigint NOT NULL REFERENCES sales.orders ON DELETE CASCADE,
  changed_at timestamptz NOT NULL,
  status     sales.order_status NOT NULL,
  changed_by uuid REFERENCES core.users,
  PRIMARY KEY (order_id, changed_at)
);

CREATE TABLE sales.coupon_redemptions (
  coupon_code citext NOT NULL REFERENCES sales.coupons,
  order_id    bigint NOT NULL REFERENCES sales.orders,
  redeemed_at timestamptz NOT NULL,
  PRIMARY KEY (coupon_code, order_id)
);

CREATE TABLE sales.discounts (
  id          integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  product_id  bigint REFERENCES inventory.products,
  category_id integer REFERENCES inventory.categories,
  percent     core.percentage NOT NULL,
  during      tstzrange NOT NULL,
  CHECK (product_id IS NOT NULL OR category_id IS NOT NULL)
);

CREATE TABLE sales.quotes (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES crm.customers,
  created_by  integer REFERENCES hr.employees,
  valid_until date NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'accepted', 'expired'))
);

CREATE TABLE sales.quote_lines (
  quote_id   bigint NOT NULL REFERENCES sales.quotes ON DELETE CASCADE,
  line_no    smallint NOT NULL,
  product_id bigint NOT NULL REFERENCES inventory.products,
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(12,2) NOT NULL,
  PRIMARY KEY (quote_id, line_no)
);

CREATE TABLE sales.returns (
  id           bigserial PRIMARY KEY,
  order_id     bigint NOT NULL REFERENCES sales.orders,
  requested_at timestamptz NOT NULL,
  reason       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('requested', 'received', 'refunded', 'rejected')),
  approved_by  integer REFERENCES hr.employees
);

-- A composite foreign key onto sales.order_lines.
CREATE TABLE sales.return_lines (
  return_id bigint NOT NULL REFERENCES sales.returns ON DELETE CASCADE,
  order_id  bigint NOT NULL,
  line_no   smallint NOT NULL,
  quantity  integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (return_id, order_id, line_no),
  FOREIGN KEY (order_id, line_no) REFERENCES sales.order_lines
);

-- A uuid primary key.
CREATE TABLE sales.carts (
  id          uuid PRIMARY KEY,
  customer_id bigint REFERENCES crm.customers,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE sales.cart_items (
  cart_id    uuid NOT NULL REFERENCES sales.carts ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES inventory.products,
  quantity   integer NOT NULL CHECK (quantity > 0),
  added_at   timestamptz NOT NULL,
  PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE sales.commissions (
  order_id    bigint NOT NULL REFERENCES sales.orders,
  employee_id integer NOT NULL REFERENCES hr.employees,
  rate        numeric(4,3) NOT NULL,
  amount      numeric(12,2) NOT NULL,
  PRIMARY KEY (order_id, employee_id)
);

CREATE TABLE sales.sales_targets (
  employee_id   integer NOT NULL REFERENCES hr.employees,
  quarter       text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
  target_amount numeric(14,2) NOT NULL,
  PRIMARY KEY (employee_id, quarter)
);

-- Range partitioned by time, with a default partition. The primary key
-- includes the partition key; event_id comes from a standalone sequence.
CREATE TABLE sales.events (
  event_id    bigint NOT NULL DEFAULT nextval('core.event_id_seq'),
  occurred_at timestamptz NOT NULL,
  kind        text NOT NULL,
  customer_id bigint REFERENCES crm.customers,
  order_id    bigint REFERENCES sales.orders,
  session_id  uuid,
  payload     jsonb NOT NULL,
  PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE sales.events_2023 PARTITION OF sales.events
  FOR VALUES FROM ('2023-01-01 00:00:00+00') TO ('2024-01-01 00:00:00+00');
CREATE TABLE sales.events_2024 PARTITION OF sales.events
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE sales.events_2025_h1 PARTITION OF sales.events
  FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-07-01 00:00:00+00');
CREATE TABLE sales.events_2025_h2 PARTITION OF sales.events
  FOR VALUES FROM ('2025-07-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
CREATE TABLE sales.events_default PARTITION OF sales.events DEFAULT;
CREATE INDEX events_customer_idx ON sales.events (customer_id, occurred_at);

-- A composite foreign key that references a partitioned table.
CREATE TABLE sales.event_annotations (
  id          bigserial PRIMARY KEY,
  event_id    bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  author_id   uuid REFERENCES core.users,
  note        text NOT NULL,
  FOREIGN KEY (event_id, occurred_at) REFERENCES sales.events ON DELETE CASCADE
);

-- The order table of the shop system that was replaced in 2019, kept for
-- its history: a reserved word and mixed case as table name, reserved
-- words, spaces and capitals as column names.
CREATE TABLE sales."Order" (
  "OrderID"     integer PRIMARY KEY,
  "CustomerRef" bigint REFERENCES crm.customers,
  "select"      text NOT NULL,
  "unit price"  numeric(10,2),
  "group"       text,
  "Created At"  timestamptz NOT NULL
);

-- A table name with a space and a semicolon.
CREATE TABLE sales."Order Lines; DROP" (
  "OrderID" integer NOT NULL REFERENCES sales."Order",
  "Line"    smallint NOT NULL,
  "Product" text NOT NULL,
  "Qty"     integer NOT NULL,
  PRIMARY KEY ("OrderID", "Line")
);

-- Back to inventory: movements may belong to an order.
ALTER TABLE inventory.stock_movements
  ADD CONSTRAINT stock_movements_order_id_fkey
  FOREIGN KEY (order_id) REFERENCES sales.orders;

-- ===========================================================================
-- billing (part 2): invoices, payments, ledger
-- ===========================================================================

CREATE TABLE billing.payment_methods (
  code   text PRIMARY KEY,
  name   text NOT NULL,
  active boolean NOT NULL DEFAULT true
);

CREATE TABLE billing.fiscal_periods (
  id     smallint PRIMARY KEY,
  period daterange NOT NULL UNIQUE,
  closed boolean NOT NULL DEFAULT false
);

CREATE TABLE billing.ledger_accounts (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  parent_code text REFERENCES billing.ledger_accounts,
  kind        text NOT NULL CHECK (kind IN ('asset', 'liability', 'equity', 'revenue', 'expense'))
);

-- invoice_number is a UNIQUE, non-primary key (filled from a standalone
-- sequence) that billing.credit_notes references.
CREATE TABLE billing.invoices (
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  invoice_number   text NOT NULL UNIQUE
                     DEFAULT 'INV-' || lpad(nextval('billing.invoice_number_seq')::text, 8, '0'),
  order_id         bigint REFERENCES sales.orders,
  customer_id      bigint NOT NULL REFERENCES crm.customers,
  currency_code    core.currency_code NOT NULL REFERENCES core.currencies,
  cost_center_id   integer REFERENCES billing.cost_centers,
  fiscal_period_id smallint REFERENCES billing.fiscal_periods,
  status           billing.invoice_status NOT NULL DEFAULT 'draft',
  issued_at        timestamptz,
  due_on           date,
  net_amount       numeric(14,2) NOT NULL,
  tax_amount       numeric(14,2) NOT NULL,
  total_amount     numeric(14,2) GENERATED ALWAYS AS (net_amount + tax_amount) STORED,
  created_by       uuid REFERENCES core.users
);
CREATE INDEX invoices_customer_idx ON billing.invoices (customer_id);

CREATE TABLE billing.invoice_lines (
  invoice_id    bigint NOT NULL REFERENCES billing.invoices ON DELETE CASCADE,
  line_no       smallint NOT NULL,
  order_id      bigint,
  order_line_no smallint,
  description   text NOT NULL,
  quantity      integer NOT NULL,
  unit_price    numeric(12,2) NOT NULL,
  tax_rate      core.percentage NOT NULL,
  PRIMARY KEY (invoice_id, line_no),
  FOREIGN KEY (order_id, order_line_no) REFERENCES sales.order_lines (order_id, line_no)
);

CREATE TABLE billing.bank_accounts (
  iban           text PRIMARY KEY,
  bic            text NOT NULL,
  name           text NOT NULL,
  currency_code  core.currency_code NOT NULL REFERENCES core.currencies,
  ledger_account text NOT NULL REFERENCES billing.ledger_accounts
);

CREATE TABLE billing.bank_transactions (
  id           bigserial PRIMARY KEY,
  iban         text NOT NULL REFERENCES billing.bank_accounts,
  booked_on    date NOT NULL,
  amount       numeric(14,2) NOT NULL,
  counterparty text,
  purpose      text
);

CREATE TABLE billing.payments (
  id                  bigserial PRIMARY KEY,
  invoice_id          bigint NOT NULL REFERENCES billing.invoices,
  method              text NOT NULL REFERENCES billing.payment_methods,
  amount              core.positive_amount NOT NULL,
  paid_at             timestamptz NOT NULL,
  reference           text UNIQUE,
  bank_transaction_id bigint REFERENCES billing.bank_transactions
);

-- Deferrable foreign keys (one initially immediate, one initially deferred).
CREATE TABLE billing.payment_allocations (
  payment_id bigint NOT NULL REFERENCES billing.payments DEFERRABLE INITIALLY IMMEDIATE,
  invoice_id bigint NOT NULL REFERENCES billing.invoices DEFERRABLE INITIALLY DEFERRED,
  amount     numeric(14,2) NOT NULL,
  PRIMARY KEY (payment_id, invoice_id)
);

-- invoice_number references billing.invoices' UNIQUE key, not its
-- primary key.
CREATE TABLE billing.credit_notes (
  id                 bigserial PRIMARY KEY,
  credit_note_number text NOT NULL UNIQUE,
  invoice_number     text NOT NULL REFERENCES billing.invoices (invoice_number) ON UPDATE CASCADE,
  reason             text NOT NULL,
  amount             numeric(14,2) NOT NULL,
  issued_at          timestamptz NOT NULL
);

CREATE TABLE billing.credit_note_lines (
  credit_note_id  bigint NOT NULL REFERENCES billing.credit_notes ON DELETE CASCADE,
  line_no         smallint NOT NULL,
  invoice_id      bigint NOT NULL,
  invoice_line_no smallint NOT NULL,
  amount          numeric(14,2) NOT NULL,
  PRIMARY KEY (credit_note_id, line_no),
  FOREIGN KEY (invoice_id, invoice_line_no) REFERENCES billing.invoice_lines
);

CREATE TABLE billing.refunds (
  id             bigserial PRIMARY KEY,
  credit_note_id bigint NOT NULL REFERENCES billing.credit_notes,
  payment_id     bigint REFERENCES billing.payments,
  amount         core.positive_amount NOT NULL,
  refunded_at    timestamptz NOT NULL,
  approved_by    integer REFERENCES hr.employees
);

CREATE TABLE billing.dunning_levels (
  level        smallint PRIMARY KEY,
  name         text NOT NULL,
  fee          numeric(8,2) NOT NULL,
  days_overdue integer NOT NULL
);

CREATE TABLE billing.dunning_notices (
  invoice_id bigint NOT NULL REFERENCES billing.invoices,
  level      smallint NOT NULL REFERENCES billing.dunning_levels,
  sent_at    timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, level)
);

CREATE TABLE billing.journal_entries (
  id               bigserial PRIMARY KEY,
  posted_on        date NOT NULL,
  fiscal_period_id smallint NOT NULL REFERENCES billing.fiscal_periods,
  description      text NOT NULL,
  invoice_id       bigint REFERENCES billing.invoices,
  payment_id       bigint REFERENCES billing.payments,
  created_by       uuid REFERENCES core.users
);

CREATE TABLE billing.journal_lines (
  entry_id       bigint NOT NULL REFERENCES billing.journal_entries ON DELETE CASCADE,
  line_no        smallint NOT NULL,
  account_code   text NOT NULL REFERENCES billing.ledger_accounts,
  cost_center_id integer REFERENCES billing.cost_centers,
  debit          numeric(14,2) NOT NULL DEFAULT 0,
  credit         numeric(14,2) NOT NULL DEFAULT 0,
  PRIMARY KEY (entry_id, line_no),
  CHECK (debit = 0 OR credit = 0)
);

CREATE TABLE billing.subscriptions (
  id               bigserial PRIMARY KEY,
  customer_id      bigint NOT NULL REFERENCES crm.customers,
  plan             text NOT NULL,
  billing_interval interval NOT NULL,
  started_on       date NOT NULL,
  cancelled_on     date,
  next_invoice_on  date
);

CREATE TABLE billing.subscription_items (
  subscription_id bigint NOT NULL REFERENCES billing.subscriptions ON DELETE CASCADE,
  product_id      bigint NOT NULL REFERENCES inventory.products,
  quantity        integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (subscription_id, product_id)
);

-- ===========================================================================
-- logistics: carriers, shipments, tracking
-- ===========================================================================

CREATE TABLE logistics.carriers (
  id                    smallint PRIMARY KEY,
  code                  text NOT NULL UNIQUE,
  name                  text NOT NULL,
  country_code          core.country_code NOT NULL REFERENCES core.countries,
  tracking_url_template text
);

CREATE TABLE logistics.carrier_services (
  carrier_id    smallint NOT NULL REFERENCES logistics.carriers,
  service_code  text NOT NULL,
  name          text NOT NULL,
  max_weight_kg numeric(8,1) NOT NULL,
  PRIMARY KEY (carrier_id, service_code)
);

CREATE TABLE logistics.freight_rates (
  carrier_id   smallint NOT NULL,
  service_code text NOT NULL,
  from_country core.country_code NOT NULL REFERENCES core.countries,
  to_country   core.country_code NOT NULL REFERENCES core.countries,
  weight_band  numrange NOT NULL,
  rate         numeric(10,2) NOT NULL,
  PRIMARY KEY (carrier_id, service_code, from_country, to_country, weight_band),
  FOREIGN KEY (carrier_id, service_code) REFERENCES logistics.carrier_services
);

CREATE TABLE logistics.vehicles (
  id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plate        text NOT NULL UNIQUE,
  capacity_kg  integer NOT NULL,
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses
);

-- Primary key that is a foreign key into another schema.
CREATE TABLE logistics.drivers (
  employee_id integer PRIMARY KEY REFERENCES hr.employees,
  license_no  text NOT NULL UNIQUE,
  vehicle_id  integer REFERENCES logistics.vehicles
);

CREATE TABLE logistics.routes (
  id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses,
  route_date   date NOT NULL,
  vehicle_id   integer REFERENCES logistics.vehicles,
  driver_id    integer REFERENCES logistics.drivers
);

CREATE TABLE logistics.route_stops (
  route_id   integer NOT NULL REFERENCES logistics.routes ON DELETE CASCADE,
  stop_no    smallint NOT NULL,
  address_id bigint NOT NULL REFERENCES core.addresses,
  planned_at timestamptz NOT NULL,
  PRIMARY KEY (route_id, stop_no)
);

-- A generated interval and a composite foreign key.
CREATE TABLE logistics.shipments (
  id           bigserial PRIMARY KEY,
  order_id     bigint NOT NULL REFERENCES sales.orders,
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses,
  carrier_id   smallint NOT NULL,
  service_code text NOT NULL,
  route_id     integer REFERENCES logistics.routes,
  packed_by    integer REFERENCES hr.employees,
  tracking_no  text UNIQUE,
  weight_kg    numeric(8,3),
  shipped_at   timestamptz,
  delivered_at timestamptz,
  transit_time interval GENERATED ALWAYS AS (delivered_at - shipped_at) STORED,
  FOREIGN KEY (carrier_id, service_code) REFERENCES logistics.carrier_services
);
CREATE INDEX shipments_order_idx ON logistics.shipments (order_id);

CREATE TABLE logistics.shipment_items (
  shipment_id bigint NOT NULL REFERENCES logistics.shipments ON DELETE CASCADE,
  order_id    bigint NOT NULL,
  line_no     smallint NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (shipment_id, order_id, line_no),
  FOREIGN KEY (order_id, line_no) REFERENCES sales.order_lines
);

CREATE TABLE logistics.packages (
  id            bigserial PRIMARY KEY,
  shipment_id   bigint NOT NULL REFERENCES logistics.shipments ON DELETE CASCADE,
  weight_kg     numeric(8,3) NOT NULL,
  dimensions_mm integer[] NOT NULL
);

-- List partitioned by region, with a default partition.
CREATE TABLE logistics.tracking_events (
  shipment_id bigint NOT NULL REFERENCES logistics.shipments ON DELETE CASCADE,
  seq         smallint NOT NULL,
  region      text NOT NULL,
  status      text NOT NULL,
  location    text,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (shipment_id, seq, region)
) PARTITION BY LIST (region);

CREATE TABLE logistics.tracking_events_eu PARTITION OF logistics.tracking_events
  FOR VALUES IN ('eu');
CREATE TABLE logistics.tracking_events_na PARTITION OF logistics.tracking_events
  FOR VALUES IN ('na');
CREATE TABLE logistics.tracking_events_apac PARTITION OF logistics.tracking_events
  FOR VALUES IN ('apac');
CREATE TABLE logistics.tracking_events_other PARTITION OF logistics.tracking_events
  DEFAULT;

-- A range type in the primary key.
CREATE TABLE logistics.delivery_slots (
  warehouse_id smallint NOT NULL REFERENCES inventory.warehouses,
  slot         tstzrange NOT NULL,
  capacity     integer NOT NULL,
  PRIMARY KEY (warehouse_id, slot)
);

CREATE TABLE logistics.customs_declarations (
  shipment_id    bigint PRIMARY KEY REFERENCES logistics.shipments ON DELETE CASCADE,
  hs_codes       text[] NOT NULL,
  declared_value numeric(14,2) NOT NULL,
  currency_code  core.currency_code NOT NULL REFERENCES core.currencies,
  documents      jsonb
);

-- ===========================================================================
-- support: tickets (row level security), knowledge base
-- ===========================================================================

CREATE TABLE support.queues (
  id    smallint PRIMARY KEY,
  name  text NOT NULL UNIQUE,
  email core.email NOT NULL
);

CREATE TABLE support.sla_policies (
  id             smallint PRIMARY KEY,
  priority       support.ticket_priority NOT NULL UNIQUE,
  first_response interval NOT NULL,
  resolution     interval NOT NULL
);

CREATE TABLE support.agents (
  employee_id      integer PRIMARY KEY REFERENCES hr.employees,
  display_name     text NOT NULL,
  max_open_tickets smallint NOT NULL DEFAULT 20
);

CREATE TABLE support.agent_queues (
  employee_id integer NOT NULL REFERENCES support.agents ON DELETE CASCADE,
  queue_id    smallint NOT NULL REFERENCES support.queues,
  PRIMARY KEY (employee_id, queue_id)
);

-- Row level security (each tenant sees its own tickets) and an array of
-- an enum (binary COPY embeds the enum's type OID in array values).
CREATE TABLE support.tickets (
  id          bigserial PRIMARY KEY,
  tenant      text NOT NULL,
  customer_id bigint REFERENCES crm.customers,
  order_id    bigint REFERENCES sales.orders,
  queue_id    smallint NOT NULL REFERENCES support.queues,
  assigned_to integer REFERENCES support.agents,
  subject     text NOT NULL,
  status      support.ticket_status NOT NULL DEFAULT 'new',
  priority    support.ticket_priority NOT NULL DEFAULT 'normal',
  labels      support.ticket_label[] NOT NULL DEFAULT '{}',
  created_by  uuid REFERENCES core.users,
  created_at  timestamptz NOT NULL,
  closed_at   timestamptz
);
ALTER TABLE support.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tickets_tenant_isolation ON support.tickets
  USING (tenant = current_setting('app.tenant', true));

CREATE TABLE support.ticket_messages (
  ticket_id      bigint NOT NULL REFERENCES support.tickets ON DELETE CASCADE,
  msg_no         integer NOT NULL,
  author_user_id uuid REFERENCES core.users,
  from_customer  boolean NOT NULL,
  body           text NOT NULL,
  sent_at        timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, msg_no)
);

CREATE TABLE support.ticket_attachments (
  ticket_id bigint NOT NULL,
  msg_no    integer NOT NULL,
  file_name text NOT NULL,
  content   bytea NOT NULL,
  PRIMARY KEY (ticket_id, msg_no, file_name),
  FOREIGN KEY (ticket_id, msg_no) REFERENCES support.ticket_messages ON DELETE CASCADE
);

CREATE TABLE support.ticket_links (
  ticket_id        bigint NOT NULL REFERENCES support.tickets ON DELETE CASCADE,
  linked_ticket_id bigint NOT NULL REFERENCES support.tickets ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('duplicate', 'related', 'blocks')),
  PRIMARY KEY (ticket_id, linked_ticket_id),
  CHECK (ticket_id <> linked_ticket_id)
);

CREATE TABLE support.escalations (
  id           bigserial PRIMARY KEY,
  ticket_id    bigint NOT NULL REFERENCES support.tickets ON DELETE CASCADE,
  from_queue   smallint NOT NULL REFERENCES support.queues,
  to_queue     smallint NOT NULL REFERENCES support.queues,
  escalated_at timestamptz NOT NULL,
  reason       text
);

CREATE TABLE support.satisfaction_surveys (
  ticket_id   bigint PRIMARY KEY REFERENCES support.tickets ON DELETE CASCADE,
  score       smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment     text,
  answered_at timestamptz NOT NULL
);

CREATE TABLE support.knowledge_articles (
  slug         text PRIMARY KEY,
  title        text NOT NULL,
  body         text NOT NULL,
  tags         text[] NOT NULL DEFAULT '{}',
  author_id    integer REFERENCES support.agents,
  published_at timestamptz
);

CREATE TABLE support.article_versions (
  slug      text NOT NULL REFERENCES support.knowledge_articles ON UPDATE CASCADE ON DELETE CASCADE,
  version   integer NOT NULL,
  body      text NOT NULL,
  edited_by uuid REFERENCES core.users,
  edited_at timestamptz NOT NULL,
  PRIMARY KEY (slug, version)
);

CREATE TABLE support.canned_responses (
  id       smallint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  queue_id smallint REFERENCES support.queues,
  title    text NOT NULL,
  body     text NOT NULL
);

-- Same table name as crm.notes.
CREATE TABLE support.notes (
  id        bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES support.tickets ON DELETE CASCADE,
  author_id integer REFERENCES support.agents,
  internal  boolean NOT NULL DEFAULT true,
  body      text NOT NULL
);

-- ===========================================================================
-- audit: logs (some without any key)
-- ===========================================================================

-- A big append-only log without a primary key or any unique index (only a
-- plain index): rows can only be told apart by ctid.
CREATE TABLE audit.audit_log (
  occurred_at timestamptz NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  schema_name text NOT NULL,
  table_name  text NOT NULL,
  row_key     jsonb,
  old_row     jsonb,
  new_row     jsonb,
  client_addr inet,
  txid        bigint NOT NULL
);
CREATE INDEX audit_log_occurred_at_idx ON audit.audit_log (occurred_at);

-- No primary key, but a unique index on NOT NULL columns.
CREATE TABLE audit.login_attempts (
  user_email   citext NOT NULL,
  attempted_at timestamptz NOT NULL,
  client_addr  inet NOT NULL,
  success      boolean NOT NULL,
  user_agent   text
);
CREATE UNIQUE INDEX login_attempts_user_time_idx
  ON audit.login_attempts (user_email, attempted_at);

-- Nothing at all: no primary key, no index, no constraint.
CREATE TABLE audit.raw_syslog (
  received_at timestamptz,
  host        text,
  facility    smallint,
  message     text
);

-- Written by the trigger on billing.invoices (see "triggers" below).
CREATE TABLE audit.data_changes (
  id         bigserial PRIMARY KEY,
  changed_at timestamptz NOT NULL,
  table_name text NOT NULL,
  operation  char(1) NOT NULL CHECK (operation IN ('I', 'U', 'D')),
  row_key    jsonb NOT NULL,
  change     jsonb
);

CREATE TABLE audit.api_requests (
  id           bigint PRIMARY KEY,
  requested_at timestamptz NOT NULL,
  method       text NOT NULL,
  path         text NOT NULL,
  status       smallint NOT NULL,
  duration     interval NOT NULL,
  client_addr  inet,
  user_id      uuid REFERENCES core.users
);

-- Intentionally left empty by data.sql.
CREATE TABLE audit.export_jobs (
  id           uuid PRIMARY KEY,
  requested_by uuid NOT NULL REFERENCES core.users,
  requested_at timestamptz NOT NULL,
  format       text NOT NULL,
  status       text NOT NULL,
  finished_at  timestamptz,
  file_size    bigint
);

CREATE TABLE audit.retention_policies (
  schema_name text NOT NULL,
  table_name  text NOT NULL,
  keep_for    interval NOT NULL,
  archive     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (schema_name, table_name)
);

-- ===========================================================================
-- "Reporting Ümlaut": aggregates, awkward names
-- ===========================================================================

CREATE TABLE "Reporting Ümlaut"."Ünïcødé Tàble" (
  id                       integer PRIMARY KEY,
  "Größe"                  double precision,
  "naïve text"             text,
  "Spalte mit Leerzeichen" text,
  "日本語"                 text,
  "emoji 🚀"               text,
  "Betrag €"               numeric,
  "Zeitpunkt"              timestamptz
);

-- Two tables whose names differ only in case.
CREATE TABLE "Reporting Ümlaut"."Sales" (
  month   date PRIMARY KEY,
  revenue numeric(16,2) NOT NULL
);

CREATE TABLE "Reporting Ümlaut".sales (
  month   date NOT NULL,
  channel text NOT NULL REFERENCES sales.channels,
  revenue numeric(16,2) NOT NULL,
  PRIMARY KEY (month, channel)
);

-- A table name with double quotes, a semicolon and a comment marker.
CREATE TABLE "Reporting Ümlaut"."Quarterly ""Q4"" Summary; --" (
  quarter   text PRIMARY KEY,
  revenue   numeric(16,2) NOT NULL,
  customers integer NOT NULL
);

CREATE TABLE "Reporting Ümlaut".daily_revenue (
  day           date PRIMARY KEY,
  orders        integer NOT NULL,
  revenue       numeric(16,2) NOT NULL,
  currency_code core.currency_code NOT NULL REFERENCES core.currencies
);

CREATE TABLE "Reporting Ümlaut".report_definitions (
  name     text PRIMARY KEY,
  query    text NOT NULL,
  params   jsonb NOT NULL DEFAULT '{}',
  owner_id uuid REFERENCES core.users
);

CREATE TABLE "Reporting Ümlaut".report_runs (
  id          bigserial PRIMARY KEY,
  report_name text NOT NULL REFERENCES "Reporting Ümlaut".report_definitions ON UPDATE CASCADE,
  ran_at      timestamptz NOT NULL,
  duration    interval NOT NULL,
  row_count   integer NOT NULL
);

CREATE TABLE "Reporting Ümlaut"."Top Customers" (
  rank        smallint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES crm.customers,
  revenue     numeric(16,2) NOT NULL
);

-- ===========================================================================
-- Cycles: the foreign keys that close them
-- ===========================================================================

-- Three-table cycle: employees -> departments -> cost_centers -> employees
-- (and departments.head_employee_id makes employees <-> departments a
-- cycle of its own).
ALTER TABLE hr.departments
  ADD CONSTRAINT departments_cost_center_id_fkey
  FOREIGN KEY (cost_center_id) REFERENCES billing.cost_centers;
ALTER TABLE hr.departments
  ADD CONSTRAINT departments_head_employee_id_fkey
  FOREIGN KEY (head_employee_id) REFERENCES hr.employees;
ALTER TABLE billing.cost_centers
  ADD CONSTRAINT cost_centers_owner_employee_id_fkey
  FOREIGN KEY (owner_employee_id) REFERENCES hr.employees;

-- Two-table cycle with a NOT NULL, DEFERRABLE INITIALLY DEFERRED edge:
-- accounts and their contacts are inserted in one transaction.
ALTER TABLE crm.accounts
  ADD CONSTRAINT accounts_primary_contact_id_fkey
  FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts
  DEFERRABLE INITIALLY DEFERRED;

-- ===========================================================================
-- Triggers
-- ===========================================================================

-- A BEFORE trigger that derives a column (harmless if it fires again on
-- the target).
CREATE FUNCTION crm.customers_set_search_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_key := lower(NEW.name || ' ' || coalesce(NEW.email::text, ''));
  RETURN NEW;
END;
$$;

CREATE TRIGGER customers_set_search_key
  BEFORE INSERT OR UPDATE OF name, email ON crm.customers
  FOR EACH ROW EXECUTE FUNCTION crm.customers_set_search_key();

-- An AFTER trigger with a side effect in another table: if it fires while
-- billing.invoices is loaded on the target, audit.data_changes gets rows
-- twice. A migration has to disable user triggers while it copies.
CREATE FUNCTION audit.record_invoice_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit.data_changes (changed_at, table_name, operation, row_key, change)
  VALUES (coalesce(NEW.issued_at, '2023-01-01 00:00:00+00'),
          TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
          left(TG_OP, 1),
          jsonb_build_object('id', NEW.id),
          jsonb_build_object('status', NEW.status, 'total', NEW.total_amount));
  RETURN NULL;
END;
$$;

CREATE TRIGGER invoices_record_change
  AFTER INSERT OR UPDATE OF status ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION audit.record_invoice_change();

-- A validation trigger.
CREATE FUNCTION hr.employees_check_manager() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.manager_id = NEW.id THEN
    RAISE EXCEPTION 'employee % cannot be their own manager', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER employees_check_manager
  BEFORE INSERT OR UPDATE OF manager_id ON hr.employees
  FOR EACH ROW EXECUTE FUNCTION hr.employees_check_manager();

-- A disabled trigger (pg_trigger.tgenabled = 'D').
CREATE FUNCTION sales.orders_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('orders', NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER orders_notify
  AFTER INSERT ON sales.orders
  FOR EACH ROW EXECUTE FUNCTION sales.orders_notify();
ALTER TABLE sales.orders DISABLE TRIGGER orders_notify;

-- ===========================================================================
-- Views (not tables: relkind v and m)
-- ===========================================================================

CREATE VIEW sales.order_totals AS
  SELECT o.id AS order_id, o.customer_id, o.ordered_at,
         count(l.line_no) AS lines, coalesce(sum(l.line_total), 0) AS total
    FROM sales.orders o
    LEFT JOIN sales.order_lines l ON l.order_id = o.id
   GROUP BY o.id;

CREATE MATERIALIZED VIEW "Reporting Ümlaut".monthly_sales AS
  SELECT date_trunc('month', o.ordered_at AT TIME ZONE 'UTC')::date AS month,
         o.channel, count(*) AS orders, sum(o.total_amount) AS revenue
    FROM sales.orders o
   GROUP BY 1, 2
  WITH NO DATA;

-- ===========================================================================
-- Comments
-- ===========================================================================

COMMENT ON TABLE sales.orders IS 'Customer orders, one row per checkout';
COMMENT ON TABLE sales.order_lines IS 'Order positions; line_total is generated';
COMMENT ON TABLE audit.audit_log IS 'Append-only audit trail; no primary key';
COMMENT ON TABLE sales."Order" IS 'Orders of the shop system replaced in 2019 (read-only)';
COMMENT ON COLUMN sales."Order"."select" IS 'What the customer selected, free text';
COMMENT ON TABLE public.citext_locale_rules IS 'Owned by the citext extension';
