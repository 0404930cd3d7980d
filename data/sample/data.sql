-- Ferry sample database: data
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Load after schema.sql, with psql:
--
--   psql -X -q -v ON_ERROR_STOP=1 -v scale=1 -f schema.sql -f data.sql
--
-- Everything is generated on the server from generate_series and hashes of
-- the row number (hashint8extended), never random(): loading the same scale
-- twice gives identical rows, ids, sequence values and large objects.
--
-- :scale (a float, default 1) multiplies the transactional tables; the
-- reference data (countries, currencies, warehouses, …) has a fixed size.
-- Most of the volume sits in a few big tables, as in real life:
-- sales.events, audit.audit_log, sales.order_lines, billing.invoice_lines,
-- inventory.stock_movements, logistics.tracking_events.
--
-- Sizes (pg_database_size and load time of schema.sql + data.sql,
-- PostgreSQL 15, 2 cores, fsync off as in ferry-pg-cluster):
--
--   scale   rows       database   load time
--   0.1     ~22 k      ~21 MB     ~2 s
--   1       ~48 k      ~24 MB     ~2-5 s
--   10      ~190 k     ~54 MB     ~8 s
--   100     ~1.7 M     ~340 MB    ~40 s
--   300     ~5.2 M     ~980 MB    ~2.5 min
--
-- That is ~17,000 rows and ~3.2 MB per unit of scale on top of ~21 MB
-- that do not grow (an empty database is 7.5 MB; the rest is the catalog
-- of 166 tables, the reference data, product images and large objects).
-- Scale 1 is for tests, scale 300 is the "1 GB" benchmark database.

SET client_encoding = 'UTF8';
SET client_min_messages = warning;
-- Timestamps are generated in UTC; date arithmetic must not depend on the
-- server's or the client's time zone.
SET TimeZone = 'UTC';

\if :{?scale}
\else
  \set scale 1
\endif

-- Check the scale before it is substituted into the queries below. psql
-- does not substitute variables inside a DO block's dollar quotes: the
-- value gets there as a setting.
SELECT set_config('ferry.sample_scale', :'scale', false) AS sample_scale \gset

DO $$
DECLARE
  scale float8;
BEGIN
  BEGIN
    scale := current_setting('ferry.sample_scale')::float8;
  EXCEPTION WHEN invalid_text_representation THEN
    RAISE EXCEPTION 'scale must be a number, not "%"', current_setting('ferry.sample_scale');
  END;
  IF NOT scale > 0 OR scale > 100000 THEN
    RAISE EXCEPTION 'scale must be greater than 0 and at most 100000, not %', scale;
  END IF;
END
$$;

-- ===========================================================================
-- Sizes
-- ===========================================================================

SELECT
  greatest(1, round(:scale * 2))::int + 60          AS n_employees,
  greatest(1, round(:scale * 20))::int + 40         AS n_users_extra,
  greatest(1, round(:scale * 200))::int + 400       AS n_addresses,
  greatest(1, round(:scale * 2))::int + 20          AS n_organizations,
  greatest(1, round(:scale * 7))::int + 20          AS n_accounts,
  greatest(1, round(:scale * 3))::int + 10          AS n_contacts_legacy,
  greatest(1, round(:scale * 80))::int + 100        AS n_customers,
  greatest(1, round(:scale * 15))::int + 50         AS n_leads,
  greatest(1, round(:scale * 1))::int + 20          AS n_suppliers,
  greatest(1, round(:scale * 25))::int + 200        AS n_products,
  greatest(1, round(:scale * 850))::int             AS n_movements,
  greatest(1, round(:scale * 7))::int + 20          AS n_purchase_orders,
  greatest(1, round(:scale * 300))::int + 20        AS n_orders,
  greatest(1, round(:scale * 15))::int + 10         AS n_quotes,
  greatest(1, round(:scale * 35))::int + 10         AS n_carts,
  greatest(1, round(:scale * 2400))::int + 100      AS n_events,
  greatest(1, round(:scale * 3))::int + 20          AS n_subscriptions,
  greatest(1, round(:scale * 3))::int + 30          AS n_routes,
  greatest(1, round(:scale * 50))::int + 50         AS n_tickets,
  greatest(1, round(:scale * 2000))::int + 100      AS n_audit,
  greatest(1, round(:scale * 100))::int + 20        AS n_logins,
  greatest(1, round(:scale * 170))::int + 10        AS n_syslog,
  greatest(1, round(:scale * 330))::int + 20        AS n_api_requests,
  greatest(1, round(:scale * 8))::int + 20          AS n_sessions,
  greatest(1, round(:scale * 15))::int + 100        AS n_legacy_orders
\gset

-- ===========================================================================
-- Session-local helpers (pg_temp: gone when the load ends)
-- ===========================================================================

-- A deterministic pseudo-random number in [0, 2^31) for row i; salt picks
-- an independent stream. Inlined by the planner, so it costs next to nothing.
CREATE FUNCTION pg_temp.h(i bigint, salt integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT hashint8extended(i, salt) & 2147483647 $$;

-- 1 + h mod n: a deterministic pick among 1..n.
CREATE FUNCTION pg_temp.pick(i bigint, salt integer, n bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 1 + (hashint8extended(i, salt) & 2147483647) % n $$;

-- A deterministic fraction in [0, 1).
CREATE FUNCTION pg_temp.frac(i bigint, salt integer) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (hashint8extended(i, salt) & 16777215) / 16777216.0 $$;

-- A timestamp between 2023-01-01 and 2026-01-01 (UTC) for fraction f.
CREATE FUNCTION pg_temp.ts(f float8) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT timestamptz '2023-01-01 00:00:00+00' + make_interval(secs => floor(f * 94608000)) $$;

-- The deterministic user id of user number n.
CREATE FUNCTION pg_temp.user_id(n bigint) RETURNS uuid
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT md5('ferry-user-' || n)::uuid $$;

-- The list price of product p (order lines use it too).
CREATE FUNCTION pg_temp.price(p bigint) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT round(2 + (hashint8extended(p, 30) & 2147483647) % 49800 / 100.0, 2) $$;

CREATE FUNCTION pg_temp.first_name(i bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY['Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hugo',
                      'Ines', 'Jonas', 'Katarzyna', 'Lukas', 'Marie', 'Noah', 'Olga', 'Paul',
                      'Quentin', 'Rosa', 'Sven', 'Tara', 'Uwe', 'Vera', 'William', 'Xenia',
                      'Yusuf', 'Zoë', 'José', 'Łukasz', 'Søren', 'Amélie', 'Björn', 'Chloé',
                      'Mei', 'Hiroshi', 'Priya', 'Aarav', 'Fatima', 'Omar', 'Emma', 'Liam'])
                 [1 + (hashint8extended(i, 101) & 2147483647) % 40] $$;

CREATE FUNCTION pg_temp.last_name(i bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner',
                      'Becker', 'Schulz', 'Hoffmann', 'Dubois', 'Martin', 'Bernard', 'Rossi',
                      'Russo', 'García', 'Fernández', 'López', 'Kowalski', 'Nowak', 'Novák',
                      'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Smith', 'Jones', 'Brown',
                      'O''Brien', 'van der Berg', 'de Vries', 'Tanaka', 'Suzuki', 'Wang', 'Li',
                      'Patel', 'Sharma', 'Kim', 'Silva', 'Santos'])
                 [1 + (hashint8extended(i, 102) & 2147483647) % 40] $$;

-- An e-mail address that satisfies the core.email domain.
CREATE FUNCTION pg_temp.email(local text, n bigint, domain text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(regexp_replace(local, '[^A-Za-z]+', '.', 'g')) || '.' || n || '@' || domain $$;

CREATE FUNCTION pg_temp.phone(i bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT '+' || (10 + (hashint8extended(i, 103) & 2147483647) % 89) || ' '
               || lpad(((hashint8extended(i, 104) & 2147483647) % 1000000000)::text, 9, '0') $$;

-- A short sentence of n words for free-text columns.
CREATE FUNCTION pg_temp.words(i bigint, n integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT string_agg((ARRAY['order', 'delivery', 'invoice', 'customer', 'please', 'urgent',
                             'package', 'damaged', 'refund', 'thanks', 'account', 'address',
                             'late', 'quality', 'return', 'payment', 'discount', 'warehouse',
                             'product', 'size', 'colour', 'missing', 'item', 'update',
                             'tracking', 'number', 'support', 'request', 'confirm', 'cancel',
                             'Größe', 'naïve', 'café', 'über', 'déjà', 'vu', 'straße', 'ça',
                             'mañana', 'smörgåsbord'])
                      [1 + (hashint8extended(i * 64 + k, 105) & 2147483647) % 40], ' ' ORDER BY k)
      FROM generate_series(1, n) AS k
  $$;

-- n bytes that do not compress (like a JPEG or PNG body).
CREATE FUNCTION pg_temp.noise(i bigint, n integer) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT substring(string_agg(sha256(int8send(i * 1000003 + k)), ''::bytea ORDER BY k) FROM 1 FOR n)
      FROM generate_series(0, (n - 1) / 32) AS k
  $$;

-- ===========================================================================
-- public
-- ===========================================================================

INSERT INTO public.schema_migrations (version, description, checksum, applied_at, success)
SELECT to_char(date '2019-03-01' + g * 29, 'YYYYMMDD') || '_' || lpad(g::text, 3, '0'),
       'migration ' || g || ': ' || pg_temp.words(g, 4),
       md5('migration-' || g),
       timestamptz '2019-03-01 02:00:00+00' + g * interval '29 days 3 hours',
       g <> 17
  FROM generate_series(1, 40) AS g;

INSERT INTO public.citext_locale_rules (pattern, replacement) VALUES
  ('STRASSE', 'straße'), ('Ae', 'ä'), ('Oe', 'ö'), ('Ue', 'ü'), ('SS', 'ß'),
  ('AA', 'å'), ('OE-DK', 'ø'), ('AE-DK', 'æ'), ('N~', 'ñ'), ('C,', 'ç');

-- ===========================================================================
-- core
-- ===========================================================================

INSERT INTO core.currencies (code, name, symbol, minor_units) VALUES
  ('EUR', 'Euro', '€', 2), ('USD', 'US Dollar', '$', 2), ('GBP', 'Pound Sterling', '£', 2),
  ('CHF', 'Swiss Franc', 'Fr.', 2), ('SEK', 'Swedish Krona', 'kr', 2),
  ('DKK', 'Danish Krone', 'kr.', 2), ('NOK', 'Norwegian Krone', 'kr', 2),
  ('PLN', 'Polish Złoty', 'zł', 2), ('CZK', 'Czech Koruna', 'Kč', 2), ('JPY', 'Yen', '¥', 0),
  ('CNY', 'Yuan Renminbi', '¥', 2), ('INR', 'Indian Rupee', '₹', 2), ('KRW', 'Won', '₩', 0),
  ('SGD', 'Singapore Dollar', 'S$', 2), ('AUD', 'Australian Dollar', 'A$', 2),
  ('NZD', 'New Zealand Dollar', 'NZ$', 2), ('CAD', 'Canadian Dollar', 'C$', 2),
  ('MXN', 'Mexican Peso', '$', 2), ('BRL', 'Brazilian Real', 'R$', 2),
  ('ZAR', 'Rand', 'R', 2);

CREATE TEMP TABLE country_info (
  code text, iso3 text, name text, currency text, prefix text, eu boolean,
  tz text, region text, ord integer
);
INSERT INTO country_info
SELECT v.*, row_number() OVER () FROM (VALUES
  ('DE', 'DEU', 'Germany', 'EUR', '+49', true, 'Europe/Berlin', 'eu'),
  ('FR', 'FRA', 'France', 'EUR', '+33', true, 'Europe/Paris', 'eu'),
  ('NL', 'NLD', 'Netherlands', 'EUR', '+31', true, 'Europe/Amsterdam', 'eu'),
  ('AT', 'AUT', 'Austria', 'EUR', '+43', true, 'Europe/Berlin', 'eu'),
  ('BE', 'BEL', 'Belgium', 'EUR', '+32', true, 'Europe/Paris', 'eu'),
  ('LU', 'LUX', 'Luxembourg', 'EUR', '+352', true, 'Europe/Paris', 'eu'),
  ('IT', 'ITA', 'Italy', 'EUR', '+39', true, 'Europe/Paris', 'eu'),
  ('ES', 'ESP', 'Spain', 'EUR', '+34', true, 'Europe/Paris', 'eu'),
  ('PT', 'PRT', 'Portugal', 'EUR', '+351', true, 'Europe/London', 'eu'),
  ('IE', 'IRL', 'Ireland', 'EUR', '+353', true, 'Europe/London', 'eu'),
  ('FI', 'FIN', 'Finland', 'EUR', '+358', true, 'Europe/Helsinki', 'eu'),
  ('PL', 'POL', 'Poland', 'PLN', '+48', true, 'Europe/Berlin', 'eu'),
  ('CZ', 'CZE', 'Czechia', 'CZK', '+420', true, 'Europe/Berlin', 'eu'),
  ('SE', 'SWE', 'Sweden', 'SEK', '+46', true, 'Europe/Berlin', 'eu'),
  ('DK', 'DNK', 'Denmark', 'DKK', '+45', true, 'Europe/Berlin', 'eu'),
  ('NO', 'NOR', 'Norway', 'NOK', '+47', false, 'Europe/Berlin', 'eu'),
  ('CH', 'CHE', 'Switzerland', 'CHF', '+41', false, 'Europe/Berlin', 'eu'),
  ('GB', 'GBR', 'United Kingdom', 'GBP', '+44', false, 'Europe/London', 'eu'),
  ('US', 'USA', 'United States', 'USD', '+1', false, 'America/New_York', 'na'),
  ('CA', 'CAN', 'Canada', 'CAD', '+1', false, 'America/Toronto', 'na'),
  ('MX', 'MEX', 'Mexico', 'MXN', '+52', false, 'America/Mexico_City', 'na'),
  ('BR', 'BRA', 'Brazil', 'BRL', '+55', false, 'America/Sao_Paulo', 'latam'),
  ('JP', 'JPN', 'Japan', 'JPY', '+81', false, 'Asia/Tokyo', 'apac'),
  ('CN', 'CHN', 'China', 'CNY', '+86', false, 'Asia/Shanghai', 'apac'),
  ('IN', 'IND', 'India', 'INR', '+91', false, 'Asia/Kolkata', 'apac'),
  ('KR', 'KOR', 'South Korea', 'KRW', '+82', false, 'Asia/Tokyo', 'apac'),
  ('SG', 'SGP', 'Singapore', 'SGD', '+65', false, 'Asia/Singapore', 'apac'),
  ('AU', 'AUS', 'Australia', 'AUD', '+61', false, 'Australia/Sydney', 'apac'),
  ('NZ', 'NZL', 'New Zealand', 'NZD', '+64', false, 'Pacific/Auckland', 'apac'),
  ('ZA', 'ZAF', 'South Africa', 'ZAR', '+27', false, 'Africa/Johannesburg', 'africa')
) AS v;

INSERT INTO core.countries (code, iso3, name, currency_code, phone_prefix, eu_member)
SELECT code, iso3, name, currency, prefix, eu AND code NOT IN ('NO', 'CH', 'GB')
  FROM country_info ORDER BY ord;

INSERT INTO core.exchange_rates (currency_code, rate_date, rate)
SELECT c.code, date '2023-01-02' + w * 7,
       round((CASE c.code WHEN 'EUR' THEN 1 WHEN 'JPY' THEN 155 WHEN 'KRW' THEN 1420
                          WHEN 'INR' THEN 89 WHEN 'CZK' THEN 24.5 ELSE 1.1 + length(c.name) / 10.0 END)
             * (1 + (pg_temp.frac(w * 97 + ascii(c.code), 1) - 0.5) / 50)::numeric, 8)
  FROM core.currencies c, generate_series(0, 155) AS w
 ORDER BY c.code, w;

INSERT INTO core.languages (code, name, native_name) VALUES
  ('en', 'English', 'English'), ('de', 'German', 'Deutsch'), ('fr', 'French', 'Français'),
  ('es', 'Spanish', 'Español'), ('it', 'Italian', 'Italiano'), ('pl', 'Polish', 'Polski'),
  ('sv', 'Swedish', 'Svenska'), ('ja', 'Japanese', '日本語'), ('zh', 'Chinese', '中文'),
  ('pt-BR', 'Brazilian Portuguese', 'Português (Brasil)');

INSERT INTO core.time_zones (name, utc_offset, observes_dst) VALUES
  ('UTC', '0', false), ('Europe/London', '0', true), ('Europe/Paris', '1 hour', true),
  ('Europe/Berlin', '1 hour', true), ('Europe/Amsterdam', '1 hour', true),
  ('Europe/Helsinki', '2 hours', true), ('America/New_York', '-5 hours', true),
  ('America/Toronto', '-5 hours', true), ('America/Mexico_City', '-6 hours', false),
  ('America/Sao_Paulo', '-3 hours', false), ('Asia/Tokyo', '9 hours', false),
  ('Asia/Shanghai', '8 hours', false), ('Asia/Kolkata', '5 hours 30 minutes', false),
  ('Asia/Singapore', '8 hours', false), ('Australia/Sydney', '10 hours', true),
  ('Pacific/Auckland', '12 hours', true), ('Africa/Johannesburg', '2 hours', false);

INSERT INTO core.regions (country_code, code, name)
SELECT ci.code, 'R' || k, ci.name || ' ' || (ARRAY['North', 'South', 'East', 'West'])[k]
  FROM country_info ci, generate_series(1, 4) AS k
 ORDER BY ci.ord, k;

INSERT INTO core.cities (region_id, name, population, time_zone)
SELECT r.id,
       (ARRAY['Alt', 'Neu', 'Ober', 'Saint-', 'Port ', 'San '])[1 + (r.id + k) % 6]
         || (ARRAY['burg', 'haven', 'field', 'mont', 'ville', 'stad', 'dorf', 'bridge', 'ton'])[k],
       1000 + pg_temp.h(r.id * 10 + k, 2) % 2000000,
       ci.tz
  FROM core.regions r
  JOIN country_info ci ON ci.code = r.country_code,
       generate_series(1, 3) AS k
 ORDER BY r.id, k;

INSERT INTO core.addresses (line1, line2, postal_code, city_id, country_code, geo, verified)
SELECT (ARRAY['Hauptstraße', 'Main Street', 'Rue de la Paix', 'Via Roma', 'Calle Mayor',
              'Kungsgatan', 'High Street', 'Ul. Długa', 'Station Road', 'Ringstraße'])
         [pg_temp.pick(g, 3, 10)] || ' ' || pg_temp.pick(g, 4, 250),
       CASE WHEN pg_temp.h(g, 5) % 5 = 0 THEN 'Apt. ' || pg_temp.pick(g, 6, 99) END,
       lpad(pg_temp.h(g, 7) % 100000 || '', 5, '0'),
       c.id, r.country_code,
       point(round((pg_temp.frac(g, 8) * 360 - 180)::numeric, 5),
             round((pg_temp.frac(g, 9) * 180 - 90)::numeric, 5)),
       pg_temp.h(g, 10) % 3 <> 0
  FROM generate_series(1, :n_addresses) AS g
  JOIN core.cities c ON c.id = pg_temp.pick(g, 11, 360)
  JOIN core.regions r ON r.id = c.region_id
 ORDER BY g;

INSERT INTO core.organizations (name, legal_name, vat_number, country_code, address_id, parent_id)
SELECT org_name, org_name || (ARRAY[' GmbH', ' SARL', ' Ltd', ' Inc.', ' AB', ' S.p.A.'])[1 + g % 6],
       CASE WHEN g % 7 <> 0 THEN 'VAT' || lpad(g::text, 9, '0') END,
       (SELECT code FROM country_info WHERE ord = pg_temp.pick(g, 12, 30)),
       pg_temp.pick(g, 13, :n_addresses),
       CASE WHEN g > 5 AND g % 4 = 0 THEN 1 + g % 5 END
  FROM generate_series(1, :n_organizations) AS g,
       LATERAL (SELECT pg_temp.last_name(g * 7) || ' & ' || pg_temp.last_name(g * 7 + 1) AS org_name) AS n
 ORDER BY g;

-- Users: the employees' logins first (user n belongs to employee n), then
-- customers' portal users and service accounts.
INSERT INTO core.users (id, email, display_name, language_code, time_zone, organization_id,
                        is_active, password_hash, preferences, created_at, last_login_at)
SELECT pg_temp.user_id(g),
       pg_temp.email(pg_temp.first_name(g) || ' ' || pg_temp.last_name(g), g, 'ferrygoods.example'),
       pg_temp.first_name(g) || ' ' || pg_temp.last_name(g),
       (ARRAY['en', 'de', 'fr', 'es', 'it', 'pl', 'sv', 'ja', 'zh', 'pt-BR'])[pg_temp.pick(g, 14, 10)],
       (ARRAY['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Tokyo'])[pg_temp.pick(g, 15, 5)],
       CASE WHEN g % 3 = 0 THEN pg_temp.pick(g, 16, :n_organizations) END,
       g % 23 <> 0,
       sha256(convert_to('pw-' || g, 'UTF8')),
       jsonb_build_object('theme', (ARRAY['light', 'dark', 'system'])[pg_temp.pick(g, 17, 3)],
                          'notifications', g % 2 = 0,
                          'dashboard', jsonb_build_array('orders', 'tickets')),
       pg_temp.ts(pg_temp.frac(g, 18) * 0.3),
       CASE WHEN g % 5 <> 0 THEN pg_temp.ts(0.3 + pg_temp.frac(g, 19) * 0.7) END
  FROM generate_series(1, :n_employees + :n_users_extra) AS g
 ORDER BY g;

INSERT INTO core.roles (id, name, description) VALUES
  (1, 'admin', 'Everything'), (2, 'sales', 'Orders and customers'),
  (3, 'warehouse', 'Stock and shipments'), (4, 'finance', 'Invoices, payments, ledger'),
  (5, 'support', 'Tickets'), (6, 'hr', 'People and payroll'),
  (7, 'analyst', 'Read-only reporting'), (8, 'auditor', 'Audit trail');

INSERT INTO core.permissions (code, description)
SELECT m || ':' || a, initcap(a) || ' ' || m
  FROM unnest(ARRAY['orders', 'customers', 'products', 'stock', 'shipments', 'invoices',
                    'payments', 'tickets', 'employees', 'payroll', 'reports', 'audit']) AS m,
       unnest(ARRAY['read', 'write']) AS a
 ORDER BY 1;

INSERT INTO core.role_permissions (role_id, permission_code)
SELECT r.id, p.code
  FROM core.roles r
  JOIN core.permissions p ON r.name = 'admin'
    OR (r.name = 'sales' AND split_part(p.code, ':', 1) IN ('orders', 'customers', 'products'))
    OR (r.name = 'warehouse' AND split_part(p.code, ':', 1) IN ('stock', 'shipments', 'products'))
    OR (r.name = 'finance' AND split_part(p.code, ':', 1) IN ('invoices', 'payments', 'reports'))
    OR (r.name = 'support' AND split_part(p.code, ':', 1) IN ('tickets', 'customers', 'orders'))
    OR (r.name = 'hr' AND split_part(p.code, ':', 1) IN ('employees', 'payroll'))
    OR (r.name IN ('analyst', 'auditor') AND p.code LIKE '%:read')
    OR (r.name = 'auditor' AND p.code = 'audit:write')
 ORDER BY 1, 2;

INSERT INTO core.user_roles (user_id, role_id, granted_by, granted_at)
SELECT pg_temp.user_id(g), r, CASE WHEN g > 1 THEN pg_temp.user_id(1) END,
       pg_temp.ts(pg_temp.frac(g * 10 + r, 20) * 0.3)
  FROM generate_series(1, :n_employees + :n_users_extra) AS g,
       LATERAL (SELECT DISTINCT unnest(ARRAY[CASE WHEN g = 1 THEN 1 ELSE pg_temp.pick(g, 21, 7) + 1 END,
                                             pg_temp.pick(g, 22, 7) + 1]) AS r) AS roles
 ORDER BY 1, 2;

INSERT INTO core.settings (key, value, updated_by, updated_at)
SELECT 'app.setting_' || lpad(g::text, 2, '0'),
       CASE g % 4 WHEN 0 THEN to_jsonb(g * 10)
                  WHEN 1 THEN to_jsonb('value ' || g)
                  WHEN 2 THEN jsonb_build_object('enabled', g % 3 = 0, 'limit', g)
                  ELSE jsonb_build_array(g, g + 1, 'x') END,
       CASE WHEN g % 2 = 0 THEN pg_temp.user_id(1 + g % 5) END,
       pg_temp.ts(pg_temp.frac(g, 23))
  FROM generate_series(1, 20) AS g;

INSERT INTO core.feature_flags (name, enabled, rollout_percent, owner_id)
SELECT 'feature-' || (ARRAY['checkout-v2', 'dark-mode', 'new-search', 'one-click', 'returns-portal',
                            'live-chat', 'wishlist', 'gift-cards', 'subscriptions', 'ai-suggest',
                            'multi-currency', 'split-shipments', 'pickup-points', 'loyalty', 'reviews'])[g],
       g % 3 <> 0, (g * 7 % 101)::numeric, pg_temp.user_id(g)
  FROM generate_series(1, 15) AS g;

INSERT INTO core.units_of_measure (code, name, base_code, factor) VALUES
  ('pc', 'piece', NULL, 1), ('g', 'gram', NULL, 1), ('kg', 'kilogram', 'g', 1000),
  ('t', 'tonne', 'g', 1000000), ('ml', 'millilitre', NULL, 1), ('l', 'litre', 'ml', 1000),
  ('mm', 'millimetre', NULL, 1), ('m', 'metre', 'mm', 1000), ('pack6', 'pack of 6', 'pc', 6),
  ('dozen', 'dozen', 'pc', 12), ('box', 'box of 24', 'pc', 24), ('pallet', 'pallet', 'box', 40);

INSERT INTO core.tax_rates (country_code, category, valid_from, rate)
SELECT c.code, cat, vf,
       CASE cat WHEN 'zero' THEN 0
                WHEN 'reduced' THEN 5 + pg_temp.h(ascii(c.code) * 31 + ascii(substr(c.code, 2)), 24) % 6
                ELSE 15 + pg_temp.h(ascii(c.code) * 37 + ascii(substr(c.code, 2)), 25) % 11
                     + CASE WHEN vf > date '2023-01-01' THEN 1 ELSE 0 END END
  FROM core.countries c,
       unnest(ARRAY['standard', 'reduced', 'zero']) AS cat,
       unnest(ARRAY[date '2020-01-01', date '2024-07-01']) AS vf
 ORDER BY 1, 2, 3;

INSERT INTO core.holidays (country_code, day, name)
SELECT c.code, h.day, h.name
  FROM core.countries c,
       (VALUES ('01-01', 'New Year''s Day'), ('05-01', 'Labour Day'), ('12-25', 'Christmas Day'),
               ('12-26', 'Boxing Day')) AS h0 (md, name),
       generate_series(2023, 2025) AS y,
       LATERAL (SELECT (y || '-' || h0.md)::date AS day, h0.name) AS h
 ORDER BY 1, 2;

-- Three large objects (in pg_largeobject, outside any table), with fixed
-- OIDs so that every load is identical, referenced by core.documents.
SELECT lo_from_bytea(424201, convert_to(repeat('Ferry Goods terms and conditions. ', 64), 'UTF8')),
       lo_from_bytea(424202, pg_temp.noise(424202, 100 * 1024)),
       lo_from_bytea(424203, pg_temp.noise(424203, 256 * 1024))
\gset lo_

INSERT INTO core.documents (title, mime_type, content_oid, sha256, uploaded_by, uploaded_at)
SELECT d.title, d.mime, d.oid, sha256(lo_get(d.oid)), pg_temp.user_id(1), d.at
  FROM (VALUES ('Terms and conditions', 'text/plain', 424201::oid, timestamptz '2023-01-05 09:00:00+00'),
               ('Warehouse floor plan', 'image/png', 424202::oid, timestamptz '2023-03-14 15:30:00+00'),
               ('Product catalogue 2024', 'application/pdf', 424203::oid, timestamptz '2024-01-10 08:15:00+00'))
       AS d (title, mime, oid, at);

INSERT INTO core.sessions (token, user_id, created_at, expires_at, data)
SELECT encode(sha256(int8send(g)), 'hex'), pg_temp.user_id(pg_temp.pick(g, 26, :n_employees + :n_users_extra)),
       pg_temp.ts(0.99 + pg_temp.frac(g, 27) / 100), pg_temp.ts(0.99 + pg_temp.frac(g, 27) / 100) + interval '8 hours',
       jsonb_build_object('cart', pg_temp.h(g, 28) % 10, 'ip', '10.0.' || g % 256 || '.' || g % 200)
  FROM generate_series(1, :n_sessions) AS g;

-- ===========================================================================
-- hr, with billing.cost_centers: a three-table foreign-key cycle
--   employees.department_id -> departments.cost_center_id -> cost_centers
--   .owner_employee_id -> employees (and departments.head_employee_id)
-- Insert with the cycle-closing columns NULL, then fill them in.
-- ===========================================================================

INSERT INTO hr.locations (name, address_id)
SELECT l.name, l.n FROM (VALUES ('Berlin HQ', 1), ('Hamburg Warehouse', 2), ('Lyon Office', 3),
                                ('Milano Showroom', 4), ('Chicago Office', 5), ('Osaka Office', 6))
                         AS l (name, n)
 ORDER BY l.n;

INSERT INTO billing.cost_centers (id, code, name, parent_id, owner_employee_id)
SELECT g, 'CC-' || lpad((g * 100)::text, 4, '0'), d.name || ' cost centre',
       CASE WHEN g > 1 THEN 1 END, NULL
  FROM (VALUES (1, 'Management'), (2, 'Sales'), (3, 'Marketing'), (4, 'Finance'),
               (5, 'Human Resources'), (6, 'IT'), (7, 'Warehouse'), (8, 'Logistics'),
               (9, 'Customer Support'), (10, 'Purchasing'), (11, 'Legal'), (12, 'Research'))
       AS d (g, name)
 ORDER BY g;

INSERT INTO hr.departments (code, name, parent_id, location_id, cost_center_id, head_employee_id)
SELECT upper(left(cc.name, 3)) || lpad(cc.id::text, 2, '0'), split_part(cc.name, ' cost', 1),
       CASE WHEN cc.id > 1 THEN 1 END, 1 + cc.id % 6, cc.id, NULL
  FROM billing.cost_centers cc
 ORDER BY cc.id;

INSERT INTO hr.job_titles (id, title, grade, min_salary, max_salary)
SELECT g, t.title, t.grade, t.grade * 9000, t.grade * 9000 + 25000
  FROM (VALUES (1, 'Chief Executive Officer', 12), (2, 'Head of Department', 10),
               (3, 'Team Lead', 8), (4, 'Senior Engineer', 8), (5, 'Engineer', 6),
               (6, 'Account Manager', 6), (7, 'Sales Representative', 5),
               (8, 'Accountant', 6), (9, 'HR Partner', 6), (10, 'Warehouse Operative', 3),
               (11, 'Forklift Driver', 3), (12, 'Delivery Driver', 3),
               (13, 'Support Agent', 4), (14, 'Buyer', 5), (15, 'Analyst', 6))
       AS t (g, title, grade)
 ORDER BY g;

-- Employees 1..12 head departments 1..12 (employee 1 is the CEO); the rest
-- report to the head of their department. manager_id may point at a row
-- of the same INSERT: the check runs at the end of the statement.
INSERT INTO hr.employees (employee_no, user_id, first_name, last_name, email, department_id,
                          manager_id, job_title_id, home_address_id, birth_date, hired_on,
                          terminated_on, salary, status, skills)
SELECT 'E' || lpad(g::text, 5, '0'),
       pg_temp.user_id(g),
       pg_temp.first_name(g), pg_temp.last_name(g),
       pg_temp.email(pg_temp.first_name(g) || ' ' || pg_temp.last_name(g), g, 'ferrygoods.example'),
       d.dept,
       CASE WHEN g = 1 THEN NULL WHEN g <= 12 THEN 1 ELSE d.dept END,
       j.title,
       pg_temp.pick(g, 30, :n_addresses),
       date '1960-01-01' + (pg_temp.h(g, 31) % 14000)::int,
       date '2010-01-01' + (pg_temp.h(g, 32) % 5000)::int,
       CASE WHEN g > 12 AND g % 17 = 0 THEN date '2024-06-30' END,
       j.base + (pg_temp.h(g, 33) % 2500000) / 100.0,
       (CASE WHEN g > 12 AND g % 17 = 0 THEN 'terminated'
             WHEN g > 12 AND g % 13 = 0 THEN 'on_leave' ELSE 'active' END)::hr.employment_status,
       ARRAY(SELECT (ARRAY['sql', 'excel', 'forklift', 'negotiation', 'german', 'french', 'java',
                           'c', 'accounting', 'first aid', 'customer care', 'sap'])[1 + (g + k * 5) % 12]
               FROM generate_series(1, g % 4) AS k)
  FROM generate_series(1, :n_employees) AS g,
       LATERAL (SELECT CASE WHEN g <= 12 THEN g::int ELSE pg_temp.pick(g, 34, 12)::int END AS dept) AS d,
       LATERAL (SELECT CASE WHEN g = 1 THEN 1
                            WHEN g <= 12 THEN 2
                            ELSE (ARRAY[3, 5, 5, 5, 6, 7, 7, 8, 9, 10, 10, 11, 12, 13, 13, 14, 15]
                                  )[1 + d.dept % 5 * 3 + (g % 3)] END AS title) AS j0,
       LATERAL (SELECT j0.title, jt.min_salary AS base FROM hr.job_titles jt WHERE jt.id = j0.title) AS j
 ORDER BY g;

-- Close the cycle.
UPDATE hr.departments SET head_employee_id = id;
UPDATE billing.cost_centers SET owner_employee_id = id;

INSERT INTO hr.employee_job_history (employee_id, valid_from, valid_to, job_title_id, department_id)
SELECT e.id, v.valid_from, v.valid_to, v.title, e.department_id
  FROM hr.employees e,
       LATERAL (VALUES (e.hired_on, e.hired_on + 700, CASE WHEN e.job_title_id > 5 THEN e.job_title_id - 1 ELSE e.job_title_id END::smallint),
                       (e.hired_on + 701, NULL::date, e.job_title_id)) AS v (valid_from, valid_to, title)
 ORDER BY 1, 2;

INSERT INTO hr.salary_history (employee_id, effective_on, salary, currency_code, approved_by)
SELECT e.id, e.hired_on + k * 365, round(e.salary * (0.85 + k * 0.05), 2), 'EUR',
       CASE WHEN e.id > 1 THEN coalesce(e.manager_id, 1) END
  FROM hr.employees e, generate_series(0, 3) AS k
 ORDER BY 1, 2;

INSERT INTO hr.payroll_runs (period, run_at, status, approved_by)
SELECT daterange(m::date, (m + interval '1 month')::date),
       m + interval '1 month' - interval '3 days' + interval '18 hours',
       CASE WHEN m < timestamptz '2025-12-01 00:00:00+00' THEN 'paid' ELSE 'approved' END,
       5
  FROM generate_series(timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-12-01 00:00:00+00',
                       interval '1 month') AS m
 ORDER BY m;

INSERT INTO hr.payslips (run_id, employee_id, gross, tax, net, currency_code)
SELECT r.id, e.id, round(e.salary / 12, 2), round(e.salary / 12 * 0.32, 2),
       round(e.salary / 12, 2) - round(e.salary / 12 * 0.32, 2), 'EUR'
  FROM hr.payroll_runs r
  JOIN hr.employees e ON e.status <> 'terminated'
 ORDER BY 1, 2;

INSERT INTO hr.payslip_lines (run_id, employee_id, line_no, kind, amount)
SELECT p.run_id, p.employee_id, l.n, l.kind,
       CASE l.kind WHEN 'base' THEN p.gross WHEN 'tax' THEN -p.tax
                   ELSE -round(p.gross * 0.05, 2) END
  FROM hr.payslips p,
       (VALUES (1, 'base'), (2, 'tax'), (3, 'pension'), (4, 'health')) AS l (n, kind)
 ORDER BY 1, 2, 3;

INSERT INTO hr.leave_types (code, name, paid, days_per_year) VALUES
  ('VAC', 'Vacation', true, 30), ('SICK', 'Sick leave', true, NULL),
  ('PAR', 'Parental leave', true, NULL), ('UNP', 'Unpaid leave', false, NULL),
  ('EDU', 'Education leave', true, 5), ('COMP', 'Compensatory time off', true, NULL);

INSERT INTO hr.leave_requests (employee_id, leave_type, during, status, approved_by, requested_at)
SELECT e.id, (ARRAY['VAC', 'VAC', 'VAC', 'SICK', 'EDU', 'COMP'])[pg_temp.pick(e.id * 4 + k, 35, 6)],
       daterange(s, s + 1 + (pg_temp.h(e.id * 4 + k, 36) % 10)::int),
       CASE WHEN k = 3 AND e.id % 4 = 0 THEN 'requested' WHEN e.id % 11 = 0 THEN 'rejected' ELSE 'approved' END,
       CASE WHEN k = 3 AND e.id % 4 = 0 THEN NULL ELSE coalesce(e.manager_id, 1) END,
       s - 20 + interval '9 hours'
  FROM hr.employees e, generate_series(1, 3) AS k,
       LATERAL (SELECT date '2025-01-01' + (k - 1) * 120 + (pg_temp.h(e.id * 4 + k, 37) % 100)::int AS s) AS d
 ORDER BY e.id, k;

INSERT INTO hr.timesheets (employee_id, week_start, submitted_at, approved_by)
SELECT e.id, date '2025-09-01' + w * 7, (date '2025-09-01' + w * 7 + 4) + interval '17 hours',
       CASE WHEN w < 7 THEN coalesce(e.manager_id, 1) END
  FROM hr.employees e, generate_series(0, 7) AS w
 WHERE e.status = 'active'
 ORDER BY e.id, w;

INSERT INTO hr.timesheet_entries (timesheet_id, work_date, project, hours)
SELECT t.id, t.week_start + d, (ARRAY['ERP rollout', 'Peak season', 'Inventory', 'Daily business'])[pg_temp.pick(t.id * 8 + d, 38, 4)],
       (6 + pg_temp.h(t.id * 8 + d, 39) % 5 + (pg_temp.h(t.id * 8 + d, 40) % 4) * 0.25)::numeric(4,2)
  FROM hr.timesheets t, generate_series(0, 4) AS d
 ORDER BY 1, 2;

INSERT INTO hr.benefits (id, name, monthly_cost) VALUES
  (1, 'Public transport ticket', 49), (2, 'Gym membership', 35), (3, 'Company pension', 120),
  (4, 'Meal vouchers', 90), (5, 'Bicycle leasing', 60), (6, 'Childcare allowance', 150);

INSERT INTO hr.employee_benefits (employee_id, benefit_id, enrolled_on)
SELECT DISTINCT ON (e.id, b) e.id, b, e.hired_on + 30
  FROM hr.employees e,
       unnest(ARRAY[pg_temp.pick(e.id, 41, 6), pg_temp.pick(e.id, 42, 6)]::smallint[]) AS b
 ORDER BY e.id, b;

INSERT INTO hr.trainings (title, provider, duration, cost)
SELECT (ARRAY['Forklift licence', 'First aid', 'Negotiation', 'PostgreSQL for analysts',
              'GDPR basics', 'Leadership', 'Excel advanced', 'Customer care', 'Fire safety',
              'Time management'])[1 + (g - 1) % 10] || CASE WHEN g > 10 THEN ' (refresher)' ELSE '' END,
       (ARRAY['Academy One', 'SkillHouse', 'Online Campus', 'In-house'])[1 + g % 4],
       make_interval(hours => 4 + g % 3 * 4), 150 + g * 35
  FROM generate_series(1, 20) AS g
 ORDER BY g;

INSERT INTO hr.training_attendance (training_id, employee_id, attended_on, score)
SELECT DISTINCT ON (t, e.id) t, e.id, date '2024-01-15' + (pg_temp.h(e.id * 3 + k, 43) % 600)::int,
       CASE WHEN e.id % 5 <> 0 THEN 50 + pg_temp.h(e.id * 3 + k, 44) % 51 END
  FROM hr.employees e, generate_series(1, 2) AS k,
       LATERAL (SELECT pg_temp.pick(e.id * 3 + k, 45, 20)::int AS t) AS tt
 ORDER BY t, e.id;

INSERT INTO hr.performance_reviews (employee_id, reviewer_id, period, rating, comments)
SELECT e.id, coalesce(e.manager_id, 2), p, 1 + pg_temp.h(e.id * 2 + i, 46) % 5,
       CASE WHEN e.id % 3 = 0 THEN pg_temp.words(e.id * 2 + i, 12) END
  FROM hr.employees e, unnest(ARRAY['2024', '2025']) WITH ORDINALITY AS pp (p, i)
 WHERE e.id > 1
 ORDER BY 1, 3;

-- ===========================================================================
-- crm: accounts and contacts form a two-table cycle whose closing edge
-- (accounts.primary_contact_id) is NOT NULL and DEFERRABLE INITIALLY
-- DEFERRED: both sides go in within one transaction.
-- ===========================================================================

BEGIN;

-- Account a's contacts get ids 3a-2 .. 3a; the first is the primary one.
INSERT INTO crm.accounts (name, organization_id, owner_employee_id, primary_contact_id, created_at)
SELECT pg_temp.last_name(a * 3) || ' ' || (ARRAY['Trading', 'Retail', 'Holding', 'Group', 'Partners'])[pg_temp.pick(a, 50, 5)],
       CASE WHEN a % 2 = 0 THEN pg_temp.pick(a, 51, :n_organizations) END,
       pg_temp.pick(a, 52, :n_employees),
       3 * a - 2,
       pg_temp.ts(pg_temp.frac(a, 53) * 0.5)
  FROM generate_series(1, :n_accounts) AS a
 ORDER BY a;

INSERT INTO crm.contacts (account_id, first_name, last_name, email, phone, job_title, created_at)
SELECT (c + 2) / 3, pg_temp.first_name(c + 5000), pg_temp.last_name(c + 5000),
       pg_temp.email(pg_temp.first_name(c + 5000), c, 'customer.example'),
       pg_temp.phone(c + 5000),
       (ARRAY['Buyer', 'CFO', 'Office Manager', 'Owner', 'Procurement Lead'])[pg_temp.pick(c, 54, 5)],
       pg_temp.ts(pg_temp.frac((c + 2) / 3, 53) * 0.5) + interval '1 hour'
  FROM generate_series(1, 3 * :n_accounts) AS c
 ORDER BY c;

COMMIT;

-- The inheritance child shares the parent's id sequence.
INSERT INTO crm.contacts_legacy (account_id, first_name, last_name, email, phone, job_title,
                                 created_at, imported_from, legacy_id)
SELECT pg_temp.pick(g, 55, :n_accounts), pg_temp.first_name(g + 9000), pg_temp.last_name(g + 9000),
       CASE WHEN g % 4 <> 0 THEN pg_temp.email(pg_temp.last_name(g + 9000), g, 'legacy.example') END,
       NULL, NULL, timestamptz '2018-06-01 00:00:00+00' + g * interval '1 day',
       (ARRAY['old-crm', 'spreadsheet', 'trade-fair'])[pg_temp.pick(g, 56, 3)], 70000 + g
  FROM generate_series(1, :n_contacts_legacy) AS g
 ORDER BY g;

-- search_key is filled by the customers_set_search_key trigger.
INSERT INTO crm.customers (customer_no, name, segment, email, phone, account_id, country_code,
                           billing_address_id, shipping_address_id, credit_limit, tags,
                           attributes, created_by, created_at)
SELECT 'C' || lpad(g::text, 8, '0'),
       CASE WHEN seg = 'consumer' THEN pg_temp.first_name(g + 20000) || ' ' || pg_temp.last_name(g + 20000)
            ELSE pg_temp.last_name(g + 20000) || ' ' || (ARRAY['GmbH', 'Ltd', 'SARL', 'AB', 'Inc.'])[pg_temp.pick(g, 57, 5)] END,
       seg,
       CASE WHEN g % 19 <> 0 THEN pg_temp.email(pg_temp.last_name(g + 20000), g, 'mail.example') END,
       CASE WHEN g % 3 <> 0 THEN pg_temp.phone(g + 20000) END,
       CASE WHEN seg <> 'consumer' THEN pg_temp.pick(g, 58, :n_accounts) END,
       a.country_code, a.id, CASE WHEN g % 4 = 0 THEN a2 ELSE a.id END,
       CASE WHEN seg <> 'consumer' THEN ROW(1000 * pg_temp.pick(g, 59, 50), 'EUR')::core.money_amount END,
       ARRAY(SELECT (ARRAY['newsletter', 'vip', 'b2b', 'wholesale', 'marketplace', 'returns-often'])[1 + (g + k) % 6]
               FROM generate_series(1, g % 3) AS k),
       jsonb_build_object('source', (ARRAY['web', 'store', 'phone', 'fair'])[pg_temp.pick(g, 60, 4)],
                          'newsletter', g % 2 = 0,
                          'score', pg_temp.h(g, 61) % 100),
       CASE WHEN g % 2 = 0 THEN pg_temp.user_id(pg_temp.pick(g, 62, :n_employees)) END,
       pg_temp.ts(pg_temp.frac(g, 63) * 0.9)
  FROM generate_series(1, :n_customers) AS g,
       LATERAL (SELECT (ARRAY['consumer', 'consumer', 'consumer', 'small_business', 'enterprise',
                              'public_sector'])[pg_temp.pick(g, 64, 6)]::crm.customer_segment AS seg,
                       pg_temp.pick(g, 65, :n_addresses) AS a1,
                       pg_temp.pick(g, 66, :n_addresses) AS a2) AS x
  JOIN core.addresses a ON a.id = x.a1
 ORDER BY g;

INSERT INTO crm.customer_addresses (customer_id, address_id, kind)
SELECT DISTINCT c.id, v.address_id, v.kind
  FROM crm.customers c,
       LATERAL (VALUES (c.billing_address_id, 'billing'), (c.shipping_address_id, 'shipping'),
                       (CASE WHEN c.id % 10 = 0 THEN pg_temp.pick(c.id, 67, :n_addresses) END, 'other'))
               AS v (address_id, kind)
 WHERE v.address_id IS NOT NULL
 ORDER BY 1, 2, 3;

INSERT INTO crm.customer_tags (customer_id, tag)
SELECT DISTINCT c.id, t
  FROM crm.customers c, unnest(c.tags) AS t
 ORDER BY 1, 2;

INSERT INTO crm.opportunity_stages (code, position, probability) VALUES
  ('prospect', 1, 10), ('qualified', 2, 25), ('proposal', 3, 50),
  ('negotiation', 4, 75), ('won', 5, 100), ('lost', 6, 0);

INSERT INTO crm.leads (source, company, contact_name, email, country_code, status, assigned_to,
                       converted_customer_id, created_at)
SELECT (ARRAY['web form', 'trade fair', 'referral', 'cold call', 'partner'])[pg_temp.pick(g, 70, 5)],
       CASE WHEN g % 3 <> 0 THEN pg_temp.last_name(g + 30000) || ' Handel' END,
       pg_temp.first_name(g + 30000) || ' ' || pg_temp.last_name(g + 30000),
       CASE WHEN g % 5 <> 0 THEN pg_temp.email(pg_temp.last_name(g + 30000), g, 'lead.example') END,
       (SELECT code FROM country_info WHERE ord = pg_temp.pick(g, 71, 30)),
       st, pg_temp.pick(g, 72, :n_employees),
       CASE WHEN st = 'converted' THEN pg_temp.pick(g, 73, :n_customers) END,
       pg_temp.ts(pg_temp.frac(g, 74))
  FROM generate_series(1, :n_leads) AS g,
       LATERAL (SELECT (ARRAY['new', 'qualified', 'converted', 'lost'])[pg_temp.pick(g, 75, 4)] AS st) AS s
 ORDER BY g;

INSERT INTO crm.opportunities (account_id, customer_id, stage, amount, currency_code, expected_close, owner_id)
SELECT a.id, CASE WHEN k = 1 THEN pg_temp.pick(a.id, 76, :n_customers) END,
       (ARRAY['prospect', 'qualified', 'proposal', 'negotiation', 'won', 'lost'])[pg_temp.pick(a.id * 2 + k, 77, 6)],
       1000 + pg_temp.h(a.id * 2 + k, 78) % 250000, 'EUR',
       date '2024-01-01' + (pg_temp.h(a.id * 2 + k, 79) % 900)::int, a.owner_employee_id
  FROM crm.accounts a, generate_series(1, 2) AS k
 ORDER BY a.id, k;

INSERT INTO crm.activities (opportunity_id, contact_id, kind, due_at, done, notes)
SELECT o.id, 3 * o.account_id - 2 + (k - 1),
       (ARRAY['call', 'email', 'meeting', 'task'])[pg_temp.pick(o.id * 3 + k, 80, 4)],
       pg_temp.ts(pg_temp.frac(o.id * 3 + k, 81)), (o.id + k) % 3 <> 0,
       CASE WHEN k = 1 THEN pg_temp.words(o.id, 8) END
  FROM crm.opportunities o, generate_series(1, 3) AS k
 ORDER BY o.id, k;

INSERT INTO crm.campaigns (name, channel, starts_on, ends_on, budget)
SELECT (ARRAY['Spring', 'Summer', 'Back to school', 'Black Friday', 'Christmas'])[1 + (g - 1) % 5]
         || ' ' || (2023 + (g - 1) / 5),
       (ARRAY['email', 'social', 'print', 'search', 'tv'])[1 + g % 5],
       make_date(2023 + (g - 1) / 5, 1 + ((g - 1) % 5) * 2 + 1, 1),
       make_date(2023 + (g - 1) / 5, 1 + ((g - 1) % 5) * 2 + 1, 28),
       CASE WHEN g % 4 <> 0 THEN 5000 + g * 1250 END
  FROM generate_series(1, 15) AS g
 ORDER BY g;

INSERT INTO crm.campaign_members (campaign_id, customer_id, joined_at, responded)
SELECT cp.id, c.id, cp.starts_on + (c.id % 20)::int + interval '10 hours', (c.id + cp.id) % 7 = 0
  FROM crm.campaigns cp
  JOIN crm.customers c ON pg_temp.h(c.id * 16 + cp.id, 82) % 6 = 0
 ORDER BY 1, 2;

INSERT INTO crm.notes (customer_id, author_id, body, created_at)
SELECT c.id, pg_temp.user_id(pg_temp.pick(c.id, 83, :n_employees)), pg_temp.words(c.id, 15),
       c.created_at + interval '3 days'
  FROM crm.customers c
 WHERE c.id % 2 = 0
 ORDER BY c.id;

INSERT INTO crm.loyalty_accounts (customer_id, tier, points, member_since)
SELECT c.id, (ARRAY['bronze', 'bronze', 'silver', 'gold', 'platinum'])[pg_temp.pick(c.id, 84, 5)],
       pg_temp.h(c.id, 85) % 20000, (c.created_at + interval '1 day')::date
  FROM crm.customers c
 WHERE c.id % 3 = 0
 ORDER BY c.id;

INSERT INTO crm.loyalty_transactions (customer_id, points, reason, occurred_at)
SELECT l.customer_id, CASE WHEN k = 4 THEN -100 ELSE 10 + pg_temp.h(l.customer_id * 4 + k, 86) % 500 END,
       CASE WHEN k = 4 THEN 'redeemed' ELSE 'purchase' END,
       l.member_since + k * 30 + interval '12 hours'
  FROM crm.loyalty_accounts l, generate_series(1, 4) AS k
 ORDER BY l.customer_id, k;

-- ===========================================================================
-- inventory
-- ===========================================================================

-- A three-level category tree: 4 roots, 12 children, 36 grandchildren.
INSERT INTO inventory.categories (id, parent_id, name, slug, path)
SELECT g, NULL, n, lower(n), n
  FROM unnest(ARRAY['Home', 'Garden', 'Office', 'Outdoor']) WITH ORDINALITY AS r (n, g);
INSERT INTO inventory.categories (id, parent_id, name, slug, path)
SELECT 4 + (p.id - 1) * 3 + k, p.id, s, p.slug || '-' || lower(s), p.path || ' / ' || s
  FROM inventory.categories p, unnest(ARRAY['Basics', 'Premium', 'Spare parts']) WITH ORDINALITY AS c (s, k)
 WHERE p.parent_id IS NULL
 ORDER BY 1;
INSERT INTO inventory.categories (id, parent_id, name, slug, path)
SELECT 16 + (p.id - 5) * 3 + k, p.id, s, p.slug || '-' || lower(s), p.path || ' / ' || s
  FROM inventory.categories p, unnest(ARRAY['Small', 'Medium', 'Large']) WITH ORDINALITY AS c (s, k)
 WHERE p.id BETWEEN 5 AND 16
 ORDER BY 1;

INSERT INTO inventory.brands (name, country_code)
SELECT (ARRAY['Nordlicht', 'Bellavista', 'Oakwood', 'Kirin Home', 'Atelier Sud', 'Hammerfest',
              'Greenleaf', 'Urbanist', 'Trusty', 'Solaris', 'Fjord', 'Maison Claire', 'Ironclad',
              'Pequeño', 'Kōbō', 'Vitra-ish', 'Bluebird', 'Cedar & Co', 'Mosaik', 'Zephyr',
              'Polaris', 'Tundra', 'Lumen', 'Arbor', 'Quokka', 'Sakura', 'Baobab', 'Alpine',
              'Harbour', 'Ember'])[g],
       CASE WHEN g % 6 <> 0 THEN (SELECT code FROM country_info WHERE ord = pg_temp.pick(g, 90, 30)) END
  FROM generate_series(1, 30) AS g
 ORDER BY g;

INSERT INTO inventory.suppliers (name, vat_number, country_code, address_id, currency_code,
                                 payment_terms, rating, account_manager_id)
SELECT pg_temp.last_name(g + 40000) || ' ' || (ARRAY['Manufacturing', 'Wholesale', 'Import', 'Works'])[pg_temp.pick(g, 91, 4)],
       'SUP' || lpad(g::text, 8, '0'),
       ci.code, pg_temp.pick(g, 92, :n_addresses), ci.currency,
       make_interval(days => (ARRAY[14, 30, 45, 60])[pg_temp.pick(g, 93, 4)]),
       round((pg_temp.h(g, 94) % 51) / 10.0, 1),
       CASE WHEN g % 3 <> 0 THEN pg_temp.pick(g, 95, :n_employees) END
  FROM generate_series(1, :n_suppliers) AS g
  JOIN country_info ci ON ci.ord = pg_temp.pick(g, 96, 30)
 ORDER BY g;

INSERT INTO inventory.supplier_contacts (supplier_id, position, name, email, phone)
SELECT s.id, k, pg_temp.first_name(s.id * 2 + k + 41000) || ' ' || pg_temp.last_name(s.id * 2 + k + 41000),
       pg_temp.email(pg_temp.last_name(s.id * 2 + k + 41000), s.id * 2 + k, 'supplier.example'),
       pg_temp.phone(s.id * 2 + k + 41000)
  FROM inventory.suppliers s, generate_series(1, 2) AS k
 ORDER BY 1, 2;

INSERT INTO inventory.products (sku, name, description, category_id, brand_id, supplier_id, unit_code,
                                currency_code, list_price, weight_kg, dimensions_mm, attributes,
                                search, status, created_by, created_at)
SELECT 'SKU-' || lpad(g::text, 7, '0') || CASE WHEN g % 10 = 0 THEN '-b' ELSE '' END,
       nm,
       CASE WHEN g % 8 <> 0 THEN pg_temp.words(g + 50000, 20) END,
       17 + pg_temp.h(g, 97) % 36,
       CASE WHEN g % 9 <> 0 THEN pg_temp.pick(g, 98, 30) END,
       pg_temp.pick(g, 99, :n_suppliers),
       (ARRAY['pc', 'pc', 'pc', 'kg', 'l', 'm', 'pack6', 'box'])[pg_temp.pick(g, 100, 8)],
       'EUR',
       pg_temp.price(g),
       round((pg_temp.h(g, 101) % 50000) / 1000.0, 3),
       ARRAY[50 + pg_temp.h(g, 102) % 950, 50 + pg_temp.h(g, 103) % 950, 10 + pg_temp.h(g, 104) % 500]::int[],
       jsonb_build_object('colour', (ARRAY['red', 'green', 'blue', 'black', 'white', 'oak'])[pg_temp.pick(g, 105, 6)],
                          'material', (ARRAY['wood', 'steel', 'plastic', 'glass', 'cotton'])[pg_temp.pick(g, 106, 5)],
                          'warranty_years', pg_temp.pick(g, 107, 5),
                          'eco', g % 4 = 0),
       to_tsvector('simple', nm),
       CASE WHEN g % 25 = 0 THEN 'discontinued' WHEN g % 31 = 0 THEN 'draft' ELSE 'active' END,
       pg_temp.user_id(pg_temp.pick(g, 108, :n_employees)),
       pg_temp.ts(pg_temp.frac(g, 109) * 0.5)
  FROM generate_series(1, :n_products) AS g,
       LATERAL (SELECT (ARRAY['Chair', 'Table', 'Lamp', 'Shelf', 'Hose', 'Rake', 'Stapler', 'Desk',
                              'Tent', 'Grill', 'Cushion', 'Vase', 'Planter', 'Binder', 'Lantern',
                              'Bench'])[pg_temp.pick(g, 110, 16)]
                       || ' ' || (ARRAY['Classic', 'Pro', 'Mini', 'XL', 'Eco', 'Deluxe', 'Smart',
                                        'Nordic'])[pg_temp.pick(g, 111, 8)]
                       || ' ' || g AS nm) AS n
 ORDER BY g;

-- TOASTed, incompressible images: 9-25 kB each, for one product in ten.
INSERT INTO inventory.product_images (product_id, image_no, mime_type, image)
SELECT p.id, k, 'image/png',
       '\x89504e470d0a1a0a'::bytea || pg_temp.noise(p.id * 10 + k, 9000 + (pg_temp.h(p.id * 10 + k, 112) % 16000)::int)
  FROM inventory.products p, generate_series(1, 1 + (p.id % 3)::int) AS k
 WHERE p.id % 10 = 1
 ORDER BY 1, 2;

INSERT INTO inventory.product_barcodes (barcode, product_id, kind)
SELECT lpad((4000000000000 + p.id * 7)::text, 13, '0'), p.id, 'EAN-13'
  FROM inventory.products p
UNION ALL
SELECT 'QR:' || encode(sha256(int8send(p.id)), 'base64'), p.id, 'QR'
  FROM inventory.products p WHERE p.id % 5 = 0
 ORDER BY 1;

INSERT INTO inventory.product_relations (product_id, related_product_id, kind)
SELECT DISTINCT p.id, r, (ARRAY['accessory', 'replacement', 'similar'])[1 + (p.id + r) % 3]
  FROM inventory.products p,
       LATERAL (SELECT pg_temp.pick(p.id, 113, :n_products) AS r) AS x
 WHERE p.id % 2 = 0 AND r <> p.id
 ORDER BY 1, 2;

INSERT INTO inventory.warehouses (id, code, name, address_id, manager_id, time_zone, capacity_m3)
SELECT w.id, w.code, w.name, w.id + 10, 12 + w.id, w.tz, w.cap
  FROM (VALUES (1, 'HAM1', 'Hamburg Central', 'Europe/Berlin', 42000.0),
               (2, 'LYS1', 'Lyon Sud', 'Europe/Paris', 18000.0),
               (3, 'MIL1', 'Milano Nord', 'Europe/Paris', 12500.5),
               (4, 'CHI1', 'Chicago Midway', 'America/New_York', 30000.0),
               (5, 'OSA1', 'Osaka Bay', 'Asia/Tokyo', 9000.0))
       AS w (id, code, name, tz, cap)
 ORDER BY w.id;

INSERT INTO inventory.warehouse_zones (warehouse_id, zone_code, temperature_controlled)
SELECT w.id, z, z = 'COLD'
  FROM inventory.warehouses w, unnest(ARRAY['A', 'B', 'COLD', 'RETURNS']) AS z
 ORDER BY 1, 2;

INSERT INTO inventory.bins (warehouse_id, zone_code, bin_code, max_weight_kg)
SELECT z.warehouse_id, z.zone_code, z.zone_code || '-' || lpad(b::text, 3, '0'), 250 + b * 10
  FROM inventory.warehouse_zones z, generate_series(1, 12) AS b
 ORDER BY 1, 2, 3;

-- Every product is stocked in warehouse 1 + id % 5, and in some others.
INSERT INTO inventory.stock (warehouse_id, product_id, on_hand, reserved, updated_at)
SELECT w, p.id, oh, least(oh, pg_temp.h(p.id * 8 + w, 115) % 25), pg_temp.ts(0.95 + pg_temp.frac(p.id * 8 + w, 116) / 20)
  FROM inventory.products p, generate_series(1, 5) AS w,
       LATERAL (SELECT pg_temp.h(p.id * 8 + w, 114) % 800 AS oh) AS x
 WHERE w = 1 + p.id % 5 OR pg_temp.h(p.id * 8 + w, 117) % 3 = 0
 ORDER BY 1, 2;

INSERT INTO inventory.purchase_orders (supplier_id, warehouse_id, currency_code, ordered_at, expected_on,
                                       status, created_by)
SELECT pg_temp.pick(g, 120, :n_suppliers), pg_temp.pick(g, 121, 5), 'EUR', ts,
       (ts + interval '14 days')::date,
       CASE WHEN g % 10 = 0 THEN 'cancelled' WHEN ts > timestamptz '2025-11-15 00:00:00+00' THEN 'open' ELSE 'received' END,
       pg_temp.pick(g, 122, :n_employees)
  FROM generate_series(1, :n_purchase_orders) AS g,
       LATERAL (SELECT pg_temp.ts((g - 1 + pg_temp.frac(g, 123)) / :n_purchase_orders) AS ts) AS t
 ORDER BY g;

INSERT INTO inventory.purchase_order_lines (purchase_order_id, line_no, product_id, quantity, unit_cost)
SELECT po.id, k, pg_temp.pick(po.id * 8 + k, 124, :n_products), 10 * pg_temp.pick(po.id * 8 + k, 125, 50),
       round(pg_temp.price(pg_temp.pick(po.id * 8 + k, 124, :n_products)) * 0.55, 2)
  FROM inventory.purchase_orders po, generate_series(1, 1 + (po.id % 5)::int) AS k
 ORDER BY 1, 2;

INSERT INTO inventory.goods_receipts (purchase_order_id, received_at, received_by)
SELECT po.id, po.expected_on + interval '10 hours', pg_temp.pick(po.id, 126, :n_employees)
  FROM inventory.purchase_orders po
 WHERE po.status = 'received'
 ORDER BY po.id;

INSERT INTO inventory.goods_receipt_lines (receipt_id, purchase_order_id, po_line_no, quantity)
SELECT gr.id, l.purchase_order_id, l.line_no,
       CASE WHEN (gr.id + l.line_no) % 9 = 0 THEN l.quantity - 5 ELSE l.quantity END
  FROM inventory.goods_receipts gr
  JOIN inventory.purchase_order_lines l ON l.purchase_order_id = gr.purchase_order_id
 ORDER BY 1, 2, 3;

INSERT INTO inventory.stock_counts (warehouse_id, counted_on, counted_by)
SELECT 1 + (g - 1) % 5, date '2024-12-28' + ((g - 1) / 5) * 182, 12 + 1 + (g - 1) % 5
  FROM generate_series(1, 10) AS g
 ORDER BY g;

INSERT INTO inventory.stock_count_lines (count_id, product_id, expected, counted)
SELECT sc.id, s.product_id, s.on_hand,
       s.on_hand + CASE WHEN pg_temp.h(sc.id * 100000 + s.product_id, 127) % 10 = 0 THEN -1 ELSE 0 END
  FROM inventory.stock_counts sc
  JOIN inventory.stock s ON s.warehouse_id = sc.warehouse_id
 WHERE pg_temp.h(sc.id * 100000 + s.product_id, 128) % 4 = 0
 ORDER BY 1, 2;

-- ===========================================================================
-- sales
-- ===========================================================================

INSERT INTO sales.channels (code, name, online) VALUES
  ('web', 'Web shop', true), ('app', 'Mobile app', true), ('store', 'Retail stores', false),
  ('phone', 'Telephone sales', false), ('marketplace', 'Marketplaces', true);

INSERT INTO sales.price_lists (id, name, currency_code, valid_from, valid_to) VALUES
  (1, 'Retail EUR', 'EUR', '2023-01-01', NULL),
  (2, 'Wholesale EUR', 'EUR', '2023-01-01', NULL),
  (3, 'Retail 2023', 'EUR', '2023-01-01', '2023-12-31');

INSERT INTO sales.price_list_items (price_list_id, product_id, price)
SELECT pl.id, p.id,
       CASE pl.id WHEN 1 THEN p.list_price WHEN 2 THEN round(p.list_price * 0.8, 2)
                  ELSE round(p.list_price * 0.95, 2) END
  FROM sales.price_lists pl
  JOIN inventory.products p ON pl.id < 3 OR p.id % 2 = 0
 ORDER BY 1, 2;

INSERT INTO sales.coupons (code, discount_percent, valid_until, max_uses)
SELECT (ARRAY['WELCOME10', 'Spring15', 'SUMMER20', 'bf2023', 'XMAS25', 'LOYAL5', 'Student10',
              'FREESHIP', 'VIP30', 'Newsletter'])[1 + (g - 1) % 10] || CASE WHEN g > 10 THEN '-' || g ELSE '' END,
       (ARRAY[10, 15, 20, 25, 25, 5, 10, 0, 30, 10])[1 + (g - 1) % 10],
       date '2023-03-01' + g * 50,
       CASE WHEN g % 3 = 0 THEN 1000 END
  FROM generate_series(1, 20) AS g
 ORDER BY g;

-- Orders spread evenly over 2023-2025 (ids grow with time, as they do).
-- Status by a hash: 3 % draft, 3 % cancelled, 4 % placed, 10 % paid,
-- 10 % shipped, 66 % delivered, 4 % returned.
INSERT INTO sales.orders (order_no, customer_id, channel, status, ordered_at, shipping_address_id,
                          billing_address_id, currency_code, price_list_id, salesperson_id,
                          coupon_code, notes, created_by)
SELECT 'SO-' || to_char(ts, 'YYYY') || '-' || lpad(g::text, 8, '0'),
       c.id,
       (ARRAY['web', 'web', 'web', 'app', 'app', 'store', 'phone', 'marketplace'])[pg_temp.pick(g, 130, 8)],
       CASE WHEN s <= 3 THEN 'draft' WHEN s <= 6 THEN 'cancelled' WHEN s <= 10 THEN 'placed'
            WHEN s <= 20 THEN 'paid' WHEN s <= 30 THEN 'shipped' WHEN s <= 96 THEN 'delivered'
            ELSE 'returned' END::sales.order_status,
       ts, c.shipping_address_id, c.billing_address_id, 'EUR',
       CASE WHEN c.segment = 'consumer' THEN 1 ELSE 2 END,
       CASE WHEN g % 4 = 0 THEN 12 + pg_temp.pick(g, 131, :n_employees - 12) END,
       CASE WHEN g % 11 = 0 THEN (SELECT code FROM sales.coupons ORDER BY code OFFSET pg_temp.h(g, 132) % 20 LIMIT 1) END,
       CASE WHEN g % 13 = 0 THEN pg_temp.words(g + 60000, 6) END,
       CASE WHEN g % 4 = 0 THEN pg_temp.user_id(12 + pg_temp.pick(g, 131, :n_employees - 12)) END
  FROM generate_series(1, :n_orders) AS g,
       LATERAL (SELECT pg_temp.ts((g - 1 + pg_temp.frac(g, 133)) / :n_orders) AS ts,
                       pg_temp.pick(g, 134, 100) AS s,
                       pg_temp.pick(g, 135, :n_customers) AS cust) AS x
  JOIN crm.customers c ON c.id = x.cust
 ORDER BY g;

-- 1 to 7 lines per order (4 on average); prices from the product list.
INSERT INTO sales.order_lines (order_id, line_no, product_id, quantity, unit_price, discount)
SELECT o.id, l, p, 1 + pg_temp.h(o.id * 8 + l, 137) % 4 + CASE WHEN pg_temp.h(o.id * 8 + l, 138) % 20 = 0 THEN 20 ELSE 0 END,
       pg_temp.price(p),
       CASE WHEN o.coupon_code IS NOT NULL THEN 0.1 WHEN pg_temp.h(o.id * 8 + l, 139) % 12 = 0 THEN 0.05 ELSE 0 END
  FROM sales.orders o,
       generate_series(1, pg_temp.pick(o.id, 136, 7)::int) AS l,
       LATERAL (SELECT pg_temp.pick(o.id * 8 + l, 140, :n_products) AS p) AS x
 ORDER BY 1, 2;

UPDATE sales.orders o
   SET total_amount = t.total
  FROM (SELECT order_id, sum(line_total) AS total FROM sales.order_lines GROUP BY order_id) AS t
 WHERE t.order_id = o.id;

INSERT INTO sales.order_status_history (order_id, changed_at, status, changed_by)
SELECT o.id, o.ordered_at + (k - 1) * interval '1 day 3 hours', st,
       CASE WHEN k > 1 THEN pg_temp.user_id(pg_temp.pick(o.id, 141, :n_employees)) END
  FROM sales.orders o,
       LATERAL unnest(CASE o.status
                        WHEN 'draft' THEN ARRAY['draft']
                        WHEN 'cancelled' THEN ARRAY['placed', 'cancelled']
                        WHEN 'placed' THEN ARRAY['placed']
                        WHEN 'paid' THEN ARRAY['placed', 'paid']
                        WHEN 'shipped' THEN ARRAY['placed', 'paid', 'shipped']
                        WHEN 'delivered' THEN ARRAY['placed', 'paid', 'shipped', 'delivered']
                        ELSE ARRAY['placed', 'paid', 'shipped', 'delivered', 'returned']
                      END::sales.order_status[]) WITH ORDINALITY AS s (st, k)
 ORDER BY 1, 2;

INSERT INTO sales.coupon_redemptions (coupon_code, order_id, redeemed_at)
SELECT o.coupon_code, o.id, o.ordered_at
  FROM sales.orders o
 WHERE o.coupon_code IS NOT NULL AND o.status NOT IN ('draft', 'cancelled')
 ORDER BY 1, 2;

INSERT INTO sales.discounts (name, product_id, category_id, percent, during)
SELECT 'Promotion ' || g,
       CASE WHEN g % 2 = 0 THEN pg_temp.pick(g, 142, :n_products) END,
       CASE WHEN g % 2 = 1 THEN 17 + g % 36 END,
       5 + g % 4 * 5,
       tstzrange(pg_temp.ts(g / 21.0), pg_temp.ts(g / 21.0) + interval '14 days')
  FROM generate_series(1, 20) AS g
 ORDER BY g;

INSERT INTO sales.quotes (customer_id, created_by, valid_until, status)
SELECT pg_temp.pick(g, 143, :n_customers), 12 + pg_temp.pick(g, 144, :n_employees - 12),
       (pg_temp.ts(pg_temp.frac(g, 145)) + interval '30 days')::date,
       (ARRAY['open', 'accepted', 'expired'])[pg_temp.pick(g, 146, 3)]
  FROM generate_series(1, :n_quotes) AS g
 ORDER BY g;

INSERT INTO sales.quote_lines (quote_id, line_no, product_id, quantity, unit_price)
SELECT q.id, k, pg_temp.pick(q.id * 4 + k, 147, :n_products), 1 + q.id % 10,
       round(pg_temp.price(pg_temp.pick(q.id * 4 + k, 147, :n_products)) * 0.9, 2)
  FROM sales.quotes q, generate_series(1, 3) AS k
 ORDER BY 1, 2;

INSERT INTO sales.returns (order_id, requested_at, reason, status, approved_by)
SELECT o.id, o.ordered_at + interval '12 days',
       (ARRAY['damaged', 'wrong size', 'not as described', 'changed my mind'])[pg_temp.pick(o.id, 148, 4)],
       CASE WHEN o.id % 5 = 0 THEN 'received' ELSE 'refunded' END,
       pg_temp.pick(o.id, 149, :n_employees)
  FROM sales.orders o
 WHERE o.status = 'returned'
 ORDER BY o.id;

INSERT INTO sales.return_lines (return_id, order_id, line_no, quantity)
SELECT r.id, l.order_id, l.line_no, l.quantity
  FROM sales.returns r
  JOIN sales.order_lines l ON l.order_id = r.order_id AND (l.line_no = 1 OR l.line_no % 3 = 0)
 ORDER BY 1, 2, 3;

INSERT INTO sales.carts (id, customer_id, created_at, updated_at)
SELECT md5('ferry-cart-' || g)::uuid, CASE WHEN g % 3 <> 0 THEN pg_temp.pick(g, 150, :n_customers) END,
       pg_temp.ts(0.9 + pg_temp.frac(g, 151) / 10), pg_temp.ts(0.9 + pg_temp.frac(g, 151) / 10) + interval '25 minutes'
  FROM generate_series(1, :n_carts) AS g
 ORDER BY g;

INSERT INTO sales.cart_items (cart_id, product_id, quantity, added_at)
SELECT DISTINCT ON (c.id, p) c.id, p, 1 + k, c.created_at + k * interval '5 minutes'
  FROM sales.carts c, generate_series(1, 3) AS k,
       LATERAL (SELECT pg_temp.pick(pg_temp.h(hashtext(c.id::text), 152) * 4 + k, 153, :n_products) AS p) AS x
 ORDER BY c.id, p, k;

INSERT INTO sales.commissions (order_id, employee_id, rate, amount)
SELECT o.id, o.salesperson_id, 0.03, round(o.total_amount * 0.03, 2)
  FROM sales.orders o
 WHERE o.salesperson_id IS NOT NULL AND o.status NOT IN ('draft', 'cancelled')
 ORDER BY o.id;

INSERT INTO sales.sales_targets (employee_id, quarter, target_amount)
SELECT e.id, y || '-Q' || q, 50000 + pg_temp.h(e.id * 100 + y * 4 + q, 154) % 100000
  FROM hr.employees e, generate_series(2024, 2025) AS y, generate_series(1, 4) AS q
 WHERE e.department_id = 2
 ORDER BY 1, 2;

-- Clickstream: spread over 2022-12 .. 2026-01, so every partition of
-- sales.events gets rows (the default one those outside 2023-2025).
INSERT INTO sales.events (occurred_at, kind, customer_id, order_id, session_id, payload)
SELECT ts, kind,
       CASE WHEN g % 3 <> 0 THEN pg_temp.pick(g, 160, :n_customers) END,
       CASE WHEN kind = 'purchase' THEN pg_temp.pick(g, 161, :n_orders) END,
       md5('ferry-session-' || g / 7)::uuid,
       jsonb_build_object(
         'path', '/' || (ARRAY['home', 'search', 'product', 'cart', 'checkout', 'account'])[pg_temp.pick(g, 162, 6)]
                 || '/' || pg_temp.pick(g, 163, :n_products),
         'referrer', (ARRAY['google', 'newsletter', 'direct', 'instagram', NULL])[pg_temp.pick(g, 164, 5)],
         'device', jsonb_build_object('type', (ARRAY['mobile', 'desktop', 'tablet'])[pg_temp.pick(g, 165, 3)],
                                      'os', (ARRAY['iOS', 'Android', 'Windows', 'macOS', 'Linux'])[pg_temp.pick(g, 166, 5)],
                                      'screen', ARRAY[360 + pg_temp.h(g, 167) % 2200, 640 + pg_temp.h(g, 168) % 800]),
         'duration_ms', pg_temp.h(g, 169) % 60000,
         'ab', ARRAY['checkout-v2', 'new-search'],
         'utm', 'campaign-' || pg_temp.pick(g, 170, 15))
  FROM generate_series(1, :n_events) AS g,
       LATERAL (SELECT timestamptz '2022-12-01 00:00:00+00'
                       + make_interval(secs => floor((g - 1 + pg_temp.frac(g, 171)) / :n_events * 97200000)) AS ts,
                       (ARRAY['page_view', 'page_view', 'page_view', 'search', 'add_to_cart',
                              'purchase', 'login'])[pg_temp.pick(g, 172, 7)] AS kind) AS x
 ORDER BY g;

INSERT INTO sales.event_annotations (event_id, occurred_at, author_id, note)
SELECT e.event_id, e.occurred_at, pg_temp.user_id(1 + e.event_id % 12), 'Suspicious: ' || pg_temp.words(e.event_id, 5)
  FROM sales.events e
 WHERE e.event_id % 500 = 7
 ORDER BY e.event_id;

INSERT INTO sales."Order" ("OrderID", "CustomerRef", "select", "unit price", "group", "Created At")
SELECT 100000 + g, CASE WHEN g % 10 <> 0 THEN pg_temp.pick(g, 175, :n_customers) END,
       (ARRAY['colour: red; size: M', 'gift wrap', 'express', 'SELECT * FROM "Order"; --', 'O''Reilly book',
              'tab	inside', E'two\nlines', 'back\slash', '\N', ''])[1 + g % 10],
       CASE WHEN g % 7 <> 0 THEN round(pg_temp.price(g) / 2, 2) END,
       (ARRAY['A', 'B', NULL])[1 + g % 3],
       timestamptz '2015-01-01 00:00:00+00' + g * interval '3 days 7 hours'
  FROM generate_series(1, :n_legacy_orders) AS g
 ORDER BY g;

INSERT INTO sales."Order Lines; DROP" ("OrderID", "Line", "Product", "Qty")
SELECT o."OrderID", k, 'Legacy article ' || pg_temp.pick(o."OrderID" * 4 + k, 176, 999), k
  FROM sales."Order" o, generate_series(1, 1 + o."OrderID" % 3) AS k
 ORDER BY 1, 2;

-- ===========================================================================
-- inventory.stock_movements (needs sales.orders)
-- ===========================================================================

-- Product p is always stocked in warehouse 1 + p % 5 (see inventory.stock).
INSERT INTO inventory.stock_movements (warehouse_id, product_id, kind, quantity, moved_at, order_id,
                                       employee_id, reference)
SELECT 1 + p % 5, p, kind,
       CASE WHEN kind IN ('shipment', 'transfer') THEN -1 ELSE 1 END * (1 + pg_temp.h(g, 181) % 40),
       pg_temp.ts((g - 1 + pg_temp.frac(g, 182)) / :n_movements),
       CASE WHEN kind IN ('shipment', 'return') THEN pg_temp.pick(g, 183, :n_orders) END,
       CASE WHEN g % 4 <> 0 THEN pg_temp.pick(g, 184, :n_employees) END,
       CASE kind WHEN 'receipt' THEN 'GR-' || g WHEN 'adjustment' THEN 'count difference' END
  FROM generate_series(1, :n_movements) AS g,
       LATERAL (SELECT pg_temp.pick(g, 180, :n_products) AS p,
                       (ARRAY['shipment', 'shipment', 'shipment', 'receipt', 'receipt', 'transfer',
                              'adjustment', 'return'])[pg_temp.pick(g, 185, 8)]::inventory.movement_kind AS kind) AS x
 ORDER BY g;

-- ===========================================================================
-- billing
-- ===========================================================================

INSERT INTO billing.payment_methods (code, name, active) VALUES
  ('card', 'Credit card', true), ('sepa', 'SEPA direct debit', true), ('paypal', 'PayPal', true),
  ('invoice', 'Pay on invoice', true), ('cash', 'Cash on delivery', false), ('voucher', 'Gift voucher', true);

INSERT INTO billing.fiscal_periods (id, period, closed)
SELECT m, daterange(d, (d + interval '1 month')::date), d < date '2025-10-01'
  FROM generate_series(1, 36) AS m,
       LATERAL (SELECT (date '2023-01-01' + (m - 1) * interval '1 month')::date AS d) AS x
 ORDER BY m;

INSERT INTO billing.ledger_accounts (code, name, parent_code, kind) VALUES
  ('1000', 'Assets', NULL, 'asset'), ('1200', 'Bank', '1000', 'asset'),
  ('1210', 'Bank EUR', '1200', 'asset'), ('1220', 'Bank USD', '1200', 'asset'),
  ('1400', 'Receivables', '1000', 'asset'), ('1410', 'Trade receivables', '1400', 'asset'),
  ('1600', 'Inventory', '1000', 'asset'), ('2000', 'Liabilities', NULL, 'liability'),
  ('2100', 'Payables', '2000', 'liability'), ('2200', 'VAT payable', '2000', 'liability'),
  ('3000', 'Equity', NULL, 'equity'), ('3100', 'Retained earnings', '3000', 'equity'),
  ('4000', 'Revenue', NULL, 'revenue'), ('4100', 'Sales revenue', '4000', 'revenue'),
  ('4200', 'Shipping revenue', '4000', 'revenue'), ('4900', 'Other revenue', '4000', 'revenue'),
  ('5000', 'Expenses', NULL, 'expense'), ('5100', 'Cost of goods sold', '5000', 'expense'),
  ('5200', 'Salaries', '5000', 'expense'), ('5300', 'Rent', '5000', 'expense'),
  ('5400', 'Freight', '5000', 'expense'), ('5500', 'Marketing', '5000', 'expense'),
  ('5600', 'IT', '5000', 'expense'), ('5700', 'Bank fees', '5000', 'expense'),
  ('5800', 'Refunds', '5000', 'expense');

-- Every order that was not a draft or cancelled has an invoice. The
-- invoice number comes from the standalone sequence; the trigger writes
-- one audit.data_changes row per invoice.
INSERT INTO billing.invoices (order_id, customer_id, currency_code, cost_center_id, fiscal_period_id,
                              status, issued_at, due_on, net_amount, tax_amount, created_by)
SELECT o.id, o.customer_id, o.currency_code, 2,
       least(36, (extract(year FROM o.ordered_at)::int - 2023) * 12 + extract(month FROM o.ordered_at)::int),
       CASE WHEN o.status = 'placed' THEN 'issued' ELSE 'paid' END::billing.invoice_status,
       o.ordered_at + interval '1 hour', (o.ordered_at + interval '14 days')::date,
       round(o.total_amount / 1.19, 2), o.total_amount - round(o.total_amount / 1.19, 2),
       CASE WHEN o.id % 2 = 0 THEN pg_temp.user_id(pg_temp.pick(o.id, 190, :n_employees)) END
  FROM sales.orders o
 WHERE o.status NOT IN ('draft', 'cancelled')
 ORDER BY o.id;

-- Some unpaid invoices are overdue (an UPDATE: the trigger records it).
UPDATE billing.invoices SET status = 'overdue'
 WHERE status = 'issued' AND due_on < date '2025-12-01' AND id % 2 = 0;

INSERT INTO billing.invoice_lines (invoice_id, line_no, order_id, order_line_no, description, quantity,
                                   unit_price, tax_rate)
SELECT i.id, l.line_no, l.order_id, l.line_no, 'Product ' || l.product_id, l.quantity,
       round(l.unit_price * (1 - l.discount), 2), 19
  FROM billing.invoices i
  JOIN sales.order_lines l ON l.order_id = i.order_id
 ORDER BY 1, 2;

INSERT INTO billing.bank_accounts (iban, bic, name, currency_code, ledger_account) VALUES
  ('DE89370400440532013000', 'COBADEFFXXX', 'Main account', 'EUR', '1210'),
  ('DE02120300000000202051', 'BYLADEM1001', 'Payroll account', 'EUR', '1210'),
  ('FR1420041010050500013M02606', 'PSSTFRPPLIL', 'France', 'EUR', '1210'),
  ('US64SVBKUS6S3300958879', 'SVBKUS6SXXX', 'US operations', 'USD', '1220');

-- One bank transaction per paid invoice, in invoice order (so bank
-- transaction n belongs to the n-th paid invoice).
INSERT INTO billing.bank_transactions (iban, booked_on, amount, counterparty, purpose)
SELECT 'DE89370400440532013000', (i.issued_at + interval '2 days')::date, i.total_amount,
       c.name, 'Payment ' || i.invoice_number
  FROM billing.invoices i
  JOIN crm.customers c ON c.id = i.customer_id
 WHERE i.status = 'paid'
 ORDER BY i.id;

INSERT INTO billing.payments (invoice_id, method, amount, paid_at, reference, bank_transaction_id)
SELECT i.id, (ARRAY['card', 'card', 'sepa', 'paypal', 'invoice', 'voucher'])[pg_temp.pick(i.id, 191, 6)],
       i.total_amount, i.issued_at + interval '2 days', 'PAY-' || lpad(i.id::text, 10, '0'),
       row_number() OVER (ORDER BY i.id)
  FROM billing.invoices i
 WHERE i.status = 'paid'
 ORDER BY i.id;

INSERT INTO billing.payment_allocations (payment_id, invoice_id, amount)
SELECT p.id, p.invoice_id, p.amount
  FROM billing.payments p
 ORDER BY p.id;

-- Credit notes reference the invoice by its number (a UNIQUE key).
INSERT INTO billing.credit_notes (credit_note_number, invoice_number, reason, amount, issued_at)
SELECT 'CN-' || lpad(r.id::text, 8, '0'), i.invoice_number, r.reason,
       sum(il.quantity * il.unit_price), r.requested_at + interval '5 days'
  FROM sales.returns r
  JOIN billing.invoices i ON i.order_id = r.order_id
  JOIN sales.return_lines rl ON rl.return_id = r.id
  JOIN billing.invoice_lines il ON il.invoice_id = i.id AND il.line_no = rl.line_no
 WHERE r.status = 'refunded'
 GROUP BY r.id, i.invoice_number
 ORDER BY r.id;

INSERT INTO billing.credit_note_lines (credit_note_id, line_no, invoice_id, invoice_line_no, amount)
SELECT cn.id, row_number() OVER (PARTITION BY cn.id ORDER BY il.line_no), il.invoice_id, il.line_no,
       il.quantity * il.unit_price
  FROM billing.credit_notes cn
  JOIN billing.invoices i ON i.invoice_number = cn.invoice_number
  JOIN sales.returns r ON r.order_id = i.order_id
  JOIN sales.return_lines rl ON rl.return_id = r.id
  JOIN billing.invoice_lines il ON il.invoice_id = i.id AND il.line_no = rl.line_no
 ORDER BY 1, 2;

INSERT INTO billing.refunds (credit_note_id, payment_id, amount, refunded_at, approved_by)
SELECT cn.id, p.id, cn.amount, cn.issued_at + interval '1 day', 4
  FROM billing.credit_notes cn
  JOIN billing.invoices i ON i.invoice_number = cn.invoice_number
  LEFT JOIN billing.payments p ON p.invoice_id = i.id
 ORDER BY cn.id;

INSERT INTO billing.dunning_levels (level, name, fee, days_overdue) VALUES
  (1, 'Friendly reminder', 0, 7), (2, 'First notice', 5, 21), (3, 'Final notice', 15, 42);

INSERT INTO billing.dunning_notices (invoice_id, level, sent_at)
SELECT i.id, d.level, i.due_on + d.days_overdue + interval '8 hours'
  FROM billing.invoices i
  JOIN billing.dunning_levels d ON d.level <= 1 + i.id % 3
 WHERE i.status = 'overdue'
 ORDER BY 1, 2;

-- Double-entry bookkeeping: one entry per invoice, debit receivables and
-- credit revenue and VAT.
INSERT INTO billing.journal_entries (posted_on, fiscal_period_id, description, invoice_id, payment_id, created_by)
SELECT i.issued_at::date, i.fiscal_period_id, 'Invoice ' || i.invoice_number, i.id, NULL, pg_temp.user_id(4)
  FROM billing.invoices i
 ORDER BY i.id;

INSERT INTO billing.journal_lines (entry_id, line_no, account_code, cost_center_id, debit, credit)
SELECT je.id, l.n, l.account, CASE WHEN l.n > 1 THEN 2 END,
       CASE WHEN l.n = 1 THEN i.total_amount ELSE 0 END,
       CASE l.n WHEN 2 THEN i.net_amount WHEN 3 THEN i.tax_amount ELSE 0 END
  FROM billing.journal_entries je
  JOIN billing.invoices i ON i.id = je.invoice_id,
       (VALUES (1, '1410'), (2, '4100'), (3, '2200')) AS l (n, account)
 ORDER BY 1, 2;

INSERT INTO billing.subscriptions (customer_id, plan, billing_interval, started_on, cancelled_on, next_invoice_on)
SELECT pg_temp.pick(g, 192, :n_customers), (ARRAY['coffee-monthly', 'office-supplies', 'garden-care'])[pg_temp.pick(g, 193, 3)],
       (ARRAY[interval '1 month', interval '3 months', interval '1 year'])[pg_temp.pick(g, 194, 3)],
       date '2023-02-01' + (pg_temp.h(g, 195) % 900)::int,
       CASE WHEN g % 6 = 0 THEN date '2025-10-31' END,
       CASE WHEN g % 6 <> 0 THEN date '2026-01-01' END
  FROM generate_series(1, :n_subscriptions) AS g
 ORDER BY g;

INSERT INTO billing.subscription_items (subscription_id, product_id, quantity)
SELECT DISTINCT ON (s.id, p) s.id, p, k
  FROM billing.subscriptions s, generate_series(1, 2) AS k,
       LATERAL (SELECT pg_temp.pick(s.id * 4 + k, 196, :n_products) AS p) AS x
 ORDER BY s.id, p, k;

-- ===========================================================================
-- logistics
-- ===========================================================================

INSERT INTO logistics.carriers (id, code, name, country_code, tracking_url_template) VALUES
  (1, 'DHL', 'DHL Paket', 'DE', 'https://track.example/dhl/{tracking_no}'),
  (2, 'DPD', 'DPD', 'DE', 'https://track.example/dpd/{tracking_no}'),
  (3, 'COL', 'Colissimo', 'FR', 'https://track.example/colissimo/{tracking_no}'),
  (4, 'UPS', 'UPS', 'US', 'https://track.example/ups/{tracking_no}'),
  (5, 'YMT', 'Yamato', 'JP', NULL),
  (6, 'OWN', 'Own fleet', 'DE', NULL);

INSERT INTO logistics.carrier_services (carrier_id, service_code, name, max_weight_kg)
SELECT c.id, s.code, c.name || ' ' || s.name, s.maxw
  FROM logistics.carriers c,
       (VALUES ('STD', 'Standard', 31.5), ('EXP', 'Express', 20.0), ('FRT', 'Freight', 1000.0)) AS s (code, name, maxw)
 ORDER BY 1, 2;

INSERT INTO logistics.freight_rates (carrier_id, service_code, from_country, to_country, weight_band, rate)
SELECT cs.carrier_id, cs.service_code, f, t, numrange(b * 10, (b + 1) * 10),
       round(4.9 + b * 3.5 + (CASE WHEN f = t THEN 0 ELSE 7.5 END) + (CASE cs.service_code WHEN 'EXP' THEN 9 ELSE 0 END), 2)
  FROM logistics.carrier_services cs,
       unnest(ARRAY['DE', 'FR', 'US']) AS f,
       unnest(ARRAY['DE', 'FR', 'IT', 'US', 'JP']) AS t,
       generate_series(0, 2) AS b
 ORDER BY 1, 2, 3, 4, 5;

INSERT INTO logistics.vehicles (plate, capacity_kg, warehouse_id)
SELECT (ARRAY['HH', 'LY', 'MI', 'IL', 'OS'])[1 + (g - 1) % 5] || '-FG ' || (100 + g), 3500 + (g % 3) * 4000, 1 + (g - 1) % 5
  FROM generate_series(1, 15) AS g
 ORDER BY g;

-- Drivers are employees: the primary key is a foreign key into hr.
INSERT INTO logistics.drivers (employee_id, license_no, vehicle_id)
SELECT e.id, 'LIC-' || lpad(e.id::text, 6, '0'), CASE WHEN n <= 15 THEN n END
  FROM (SELECT e.*, row_number() OVER (ORDER BY e.id) AS n FROM hr.employees e
         WHERE e.department_id = 8 AND e.status = 'active') AS e
 ORDER BY e.id;

INSERT INTO logistics.routes (warehouse_id, route_date, vehicle_id, driver_id)
SELECT 1 + (g - 1) % 5, date '2025-06-01' + (g - 1) / 5, 1 + (g - 1) % 15,
       (SELECT employee_id FROM logistics.drivers ORDER BY employee_id OFFSET (g - 1) % greatest(1, (SELECT count(*) FROM logistics.drivers)) LIMIT 1)
  FROM generate_series(1, :n_routes) AS g
 ORDER BY g;

INSERT INTO logistics.route_stops (route_id, stop_no, address_id, planned_at)
SELECT r.id, k, pg_temp.pick(r.id * 16 + k, 200, :n_addresses), r.route_date + interval '7 hours' + k * interval '35 minutes'
  FROM logistics.routes r, generate_series(1, 8) AS k
 ORDER BY 1, 2;

-- Orders that were shipped, delivered or returned have a shipment. The
-- carrier depends on the destination's region.
INSERT INTO logistics.shipments (order_id, warehouse_id, carrier_id, service_code, route_id, packed_by,
                                 tracking_no, weight_kg, shipped_at, delivered_at)
SELECT o.id, 1 + o.id % 5, cr.carrier, (ARRAY['STD', 'STD', 'STD', 'EXP', 'FRT'])[pg_temp.pick(o.id, 201, 5)],
       CASE WHEN cr.carrier = 6 THEN pg_temp.pick(o.id, 202, :n_routes) END,
       pg_temp.pick(o.id, 203, :n_employees),
       'TRK' || lpad(o.id::text, 12, '0'),
       round((0.2 + pg_temp.h(o.id, 204) % 30000 / 1000.0)::numeric, 3),
       o.ordered_at + interval '1 day' + (pg_temp.h(o.id, 205) % 86400) * interval '1 second',
       CASE WHEN o.status IN ('delivered', 'returned')
            THEN o.ordered_at + interval '3 days' + (pg_temp.h(o.id, 206) % 259200) * interval '1 second' END
  FROM sales.orders o
  JOIN core.addresses a ON a.id = o.shipping_address_id
  JOIN country_info ci ON ci.code = a.country_code,
       LATERAL (SELECT CASE ci.region WHEN 'eu' THEN (ARRAY[1, 2, 3, 6])[pg_temp.pick(o.id, 207, 4)]
                                      WHEN 'na' THEN 4 WHEN 'apac' THEN 5 ELSE 1 END AS carrier) AS cr
 WHERE o.status IN ('shipped', 'delivered', 'returned')
 ORDER BY o.id;

INSERT INTO logistics.shipment_items (shipment_id, order_id, line_no, quantity)
SELECT s.id, l.order_id, l.line_no, l.quantity
  FROM logistics.shipments s
  JOIN sales.order_lines l ON l.order_id = s.order_id
 ORDER BY 1, 2, 3;

INSERT INTO logistics.packages (shipment_id, weight_kg, dimensions_mm)
SELECT s.id, round(s.weight_kg / (1 + s.id % 2), 3), ARRAY[300 + k * 10, 200, 150]
  FROM logistics.shipments s, generate_series(1, 1 + (s.id % 2)::int) AS k
 ORDER BY s.id, k;

-- Routed by the destination's region into the list partitions ("latam"
-- and "africa" land in the default partition).
INSERT INTO logistics.tracking_events (shipment_id, seq, region, status, location, occurred_at)
SELECT s.id, k, ci.region,
       (ARRAY['label created', 'picked up', 'in transit', 'out for delivery', 'delivered'])[k],
       CASE WHEN k > 1 THEN ci.name END,
       s.shipped_at + (k - 1) * interval '14 hours'
  FROM logistics.shipments s
  JOIN sales.orders o ON o.id = s.order_id
  JOIN core.addresses a ON a.id = o.shipping_address_id
  JOIN country_info ci ON ci.code = a.country_code,
       generate_series(1, CASE WHEN s.delivered_at IS NULL THEN 3 ELSE 5 END) AS k
 ORDER BY 1, 2;

INSERT INTO logistics.delivery_slots (warehouse_id, slot, capacity)
SELECT w.id, tstzrange(d + h * interval '1 hour', d + (h + 4) * interval '1 hour'), 20 + (w.id * h) % 15
  FROM inventory.warehouses w,
       generate_series(timestamptz '2025-12-01 00:00:00+00', timestamptz '2025-12-28 00:00:00+00', interval '1 day') AS d,
       unnest(ARRAY[8, 12, 16]) AS h
 ORDER BY 1, 2;

INSERT INTO logistics.customs_declarations (shipment_id, hs_codes, declared_value, currency_code, documents)
SELECT s.id, ARRAY['9403.60', '9405.40']::text[] || CASE WHEN s.id % 2 = 0 THEN ARRAY['7323.99'] ELSE '{}' END,
       o.total_amount, o.currency_code,
       jsonb_build_object('invoice', 'attached', 'eori', 'DE' || lpad(s.id::text, 15, '0'))
  FROM logistics.shipments s
  JOIN sales.orders o ON o.id = s.order_id
  JOIN core.addresses a ON a.id = o.shipping_address_id
  JOIN core.countries c ON c.code = a.country_code
 WHERE NOT c.eu_member
 ORDER BY s.id;

-- ===========================================================================
-- support
-- ===========================================================================

INSERT INTO support.queues (id, name, email) VALUES
  (1, 'General', 'help@ferrygoods.example'), (2, 'Orders', 'orders@ferrygoods.example'),
  (3, 'Returns', 'returns@ferrygoods.example'), (4, 'Billing', 'billing@ferrygoods.example'),
  (5, 'B2B', 'b2b@ferrygoods.example'), (6, 'Escalations', 'escalations@ferrygoods.example');

INSERT INTO support.sla_policies (id, priority, first_response, resolution) VALUES
  (1, 'low', '2 days', '10 days'), (2, 'normal', '1 day', '5 days'),
  (3, 'high', '4 hours', '2 days'), (4, 'urgent', '1 hour', '8 hours');

INSERT INTO support.agents (employee_id, display_name, max_open_tickets)
SELECT e.id, e.first_name || ' ' || left(e.last_name, 1) || '.', 15 + e.id % 10
  FROM hr.employees e
 WHERE e.department_id = 9 AND e.status <> 'terminated'
 ORDER BY e.id;

INSERT INTO support.agent_queues (employee_id, queue_id)
SELECT DISTINCT a.employee_id, q
  FROM support.agents a, unnest(ARRAY[1, 2 + a.employee_id % 5, 2 + (a.employee_id / 5) % 5]) AS q
 ORDER BY 1, 2;

-- Each ticket belongs to a tenant (the brand it was raised through): the
-- row level security policy filters on it.
INSERT INTO support.tickets (tenant, customer_id, order_id, queue_id, assigned_to, subject, status,
                             priority, labels, created_by, created_at, closed_at)
SELECT (ARRAY['ferry-goods', 'ferry-goods', 'garden-direct', 'office-plus'])[pg_temp.pick(g, 210, 4)],
       CASE WHEN g % 8 <> 0 THEN pg_temp.pick(g, 211, :n_customers) END,
       CASE WHEN g % 2 = 0 THEN pg_temp.pick(g, 212, :n_orders) END,
       pg_temp.pick(g, 213, 6),
       CASE WHEN st <> 'new' THEN (SELECT employee_id FROM support.agents ORDER BY employee_id
                                    OFFSET pg_temp.h(g, 214) % greatest(1, (SELECT count(*) FROM support.agents)) LIMIT 1) END,
       initcap(pg_temp.words(g + 70000, 5)),
       st::support.ticket_status,
       (ARRAY['low', 'normal', 'normal', 'normal', 'high', 'urgent'])[pg_temp.pick(g, 215, 6)]::support.ticket_priority,
       ARRAY(SELECT DISTINCT (ARRAY['billing', 'delivery', 'damaged', 'refund', 'account', 'vip', 'legal'])
                               [1 + (g * 3 + k) % 7]::support.ticket_label
               FROM generate_series(1, g % 3) AS k ORDER BY 1),
       CASE WHEN g % 8 = 0 THEN pg_temp.user_id(pg_temp.pick(g, 216, :n_employees)) END,
       ts,
       CASE WHEN st IN ('solved', 'closed') THEN ts + (1 + pg_temp.h(g, 217) % 200) * interval '1 hour' END
  FROM generate_series(1, :n_tickets) AS g,
       LATERAL (SELECT pg_temp.ts((g - 1 + pg_temp.frac(g, 218)) / :n_tickets) AS ts,
                       (ARRAY['new', 'open', 'pending', 'solved', 'closed', 'closed', 'closed'])[pg_temp.pick(g, 219, 7)] AS st) AS x
 ORDER BY g;

INSERT INTO support.ticket_messages (ticket_id, msg_no, author_user_id, from_customer, body, sent_at)
SELECT t.id, k, CASE WHEN k % 2 = 0 THEN pg_temp.user_id(coalesce(t.assigned_to, 1)) END, k % 2 = 1,
       CASE WHEN k % 2 = 1 THEN 'Hello, ' ELSE 'Dear customer, ' END || pg_temp.words(t.id * 8 + k, 25),
       t.created_at + (k - 1) * interval '5 hours'
  FROM support.tickets t, generate_series(1, 1 + (t.id % 4)::int) AS k
 ORDER BY 1, 2;

INSERT INTO support.ticket_attachments (ticket_id, msg_no, file_name, content)
SELECT m.ticket_id, m.msg_no, 'photo-' || m.ticket_id || '.txt',
       convert_to(repeat(m.body || E'\n', 20 + (m.ticket_id % 50)::int), 'UTF8')
  FROM support.ticket_messages m
 WHERE m.msg_no = 1 AND m.ticket_id % 5 = 0
 ORDER BY 1, 2;

INSERT INTO support.ticket_links (ticket_id, linked_ticket_id, kind)
SELECT t.id, t.id - 1 - t.id % 7, (ARRAY['duplicate', 'related', 'blocks'])[1 + t.id % 3]
  FROM support.tickets t
 WHERE t.id % 15 = 0 AND t.id - 1 - t.id % 7 >= 1
 ORDER BY 1, 2;

INSERT INTO support.escalations (ticket_id, from_queue, to_queue, escalated_at, reason)
SELECT t.id, t.queue_id, 6, t.created_at + interval '1 day', 'SLA breached'
  FROM support.tickets t
 WHERE t.priority IN ('high', 'urgent') AND t.id % 3 = 0
 ORDER BY t.id;

INSERT INTO support.satisfaction_surveys (ticket_id, score, comment, answered_at)
SELECT t.id, 1 + pg_temp.h(t.id, 220) % 5, CASE WHEN t.id % 4 = 0 THEN pg_temp.words(t.id + 80000, 10) END,
       t.closed_at + interval '2 days'
  FROM support.tickets t
 WHERE t.status = 'closed' AND t.id % 2 = 0
 ORDER BY t.id;

INSERT INTO support.knowledge_articles (slug, title, body, tags, author_id, published_at)
SELECT 'how-to-' || lower(replace(tt, ' ', '-')) || '-' || g, 'How to ' || lower(tt),
       repeat(pg_temp.words(g + 90000, 60) || E'\n\n', 3 + g % 5),
       ARRAY['faq', lower(split_part(tt, ' ', 1))],
       (SELECT employee_id FROM support.agents ORDER BY employee_id LIMIT 1 OFFSET g % greatest(1, (SELECT count(*) FROM support.agents))),
       CASE WHEN g % 10 <> 0 THEN pg_temp.ts(g / 41.0) END
  FROM generate_series(1, 40) AS g,
       LATERAL (SELECT (ARRAY['Return an item', 'Track a parcel', 'Change an address', 'Pay by invoice',
                              'Redeem a coupon', 'Reset a password', 'Cancel an order', 'Order in bulk'])[1 + g % 8] AS tt) AS x
 ORDER BY g;

INSERT INTO support.article_versions (slug, version, body, edited_by, edited_at)
SELECT a.slug, v, left(a.body, 200 * v), pg_temp.user_id(1 + v), coalesce(a.published_at, pg_temp.ts(0.5)) - (4 - v) * interval '7 days'
  FROM support.knowledge_articles a, generate_series(1, 3) AS v
 ORDER BY 1, 2;

INSERT INTO support.canned_responses (queue_id, title, body)
SELECT CASE WHEN g % 5 <> 0 THEN 1 + g % 6 END, 'Template ' || g, 'Hello {{name}}, ' || pg_temp.words(g + 95000, 20)
  FROM generate_series(1, 20) AS g
 ORDER BY g;

INSERT INTO support.notes (ticket_id, author_id, internal, body)
SELECT t.id, t.assigned_to, t.id % 6 <> 0, pg_temp.words(t.id + 99000, 12)
  FROM support.tickets t
 WHERE t.id % 2 = 1
 ORDER BY t.id;

-- ===========================================================================
-- audit
-- ===========================================================================

-- The big log: no key at all, many near-identical rows.
INSERT INTO audit.audit_log (occurred_at, actor, action, schema_name, table_name, row_key, old_row,
                             new_row, client_addr, txid)
SELECT pg_temp.ts((g - 1 + pg_temp.frac(g, 230)) / :n_audit),
       CASE WHEN g % 5 = 0 THEN 'system' ELSE 'user:' || pg_temp.pick(g, 231, :n_employees) END,
       act, t.s, t.t,
       jsonb_build_object('id', pg_temp.pick(g, 232, 100000)),
       CASE WHEN act <> 'INSERT' THEN jsonb_build_object('status', 'placed', 'total', pg_temp.h(g, 233) % 100000 / 100.0,
                                                         'note', pg_temp.words(g, 4)) END,
       CASE WHEN act <> 'DELETE' THEN jsonb_build_object('status', 'paid', 'total', pg_temp.h(g, 233) % 100000 / 100.0,
                                                         'note', pg_temp.words(g, 4), 'changed_by', 'user:' || pg_temp.pick(g, 231, :n_employees)) END,
       CASE WHEN g % 5 <> 0 THEN ('10.' || g % 250 || '.' || (g / 250) % 250 || '.' || 1 + g % 200)::inet END,
       1000000 + g / 3
  FROM generate_series(1, :n_audit) AS g,
       LATERAL (SELECT (ARRAY['INSERT', 'UPDATE', 'UPDATE', 'DELETE'])[pg_temp.pick(g, 234, 4)] AS act) AS a,
       LATERAL (SELECT (ARRAY['sales', 'sales', 'billing', 'crm', 'inventory'])[pg_temp.pick(g, 235, 5)] AS s,
                       (ARRAY['orders', 'order_lines', 'invoices', 'customers', 'stock'])[pg_temp.pick(g, 235, 5)] AS t) AS t
 ORDER BY g;

INSERT INTO audit.login_attempts (user_email, attempted_at, client_addr, success, user_agent)
SELECT u.email, pg_temp.ts((g - 1 + pg_temp.frac(g, 240)) / :n_logins),
       ('192.0.2.' || 1 + g % 254)::inet, g % 9 <> 0,
       (ARRAY['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone)', 'curl/8.0', NULL])[pg_temp.pick(g, 241, 4)]
  FROM generate_series(1, :n_logins) AS g
  JOIN core.users u ON u.id = pg_temp.user_id(pg_temp.pick(g, 242, :n_employees + :n_users_extra))
 ORDER BY g;

-- Duplicated lines included, as syslog delivers them.
INSERT INTO audit.raw_syslog (received_at, host, facility, message)
SELECT pg_temp.ts(0.98 + (g / 3) / (:n_syslog * 60.0)),
       'app' || (g / 3) % 4 || '.ferrygoods.internal', (g / 3 % 8)::smallint,
       CASE WHEN g % 3 = 2 THEN 'pgbouncer: closing because: client close request'
            ELSE 'checkout[' || (g / 3) || ']: order placed in ' || (g % 900) || ' ms' END
  FROM generate_series(1, :n_syslog) AS g
 ORDER BY g;

INSERT INTO audit.api_requests (id, requested_at, method, path, status, duration, client_addr, user_id)
SELECT 5000000000 + g * 13, pg_temp.ts((g - 1 + pg_temp.frac(g, 250)) / :n_api_requests),
       (ARRAY['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'])[pg_temp.pick(g, 251, 6)],
       '/api/v2/' || (ARRAY['orders', 'customers', 'products', 'stock'])[pg_temp.pick(g, 252, 4)] || '/' || pg_temp.h(g, 253) % 10000,
       (ARRAY[200, 200, 200, 201, 204, 400, 404, 500])[pg_temp.pick(g, 254, 8)],
       make_interval(secs => (pg_temp.h(g, 255) % 5000) / 1000.0),
       ('2001:db8::' || to_hex(g % 65536))::inet,
       CASE WHEN g % 4 <> 0 THEN pg_temp.user_id(pg_temp.pick(g, 256, :n_employees + :n_users_extra)) END
  FROM generate_series(1, :n_api_requests) AS g
 ORDER BY g;

-- audit.export_jobs stays empty on purpose: empty tables exist.

INSERT INTO audit.retention_policies (schema_name, table_name, keep_for, archive) VALUES
  ('audit', 'audit_log', '7 years', true), ('audit', 'login_attempts', '90 days', false),
  ('audit', 'raw_syslog', '30 days', false), ('audit', 'api_requests', '1 year', true),
  ('sales', 'events', '2 years', true), ('core', 'sessions', '1 day', false),
  ('sales', 'carts', '60 days', false), ('support', 'ticket_attachments', '3 years', true),
  ('logistics', 'tracking_events', '1 year', true), ('billing', 'journal_lines', '10 years', true);

-- ===========================================================================
-- "Reporting Ümlaut"
-- ===========================================================================

-- Values that trip up text and binary COPY, quoting and encodings.
INSERT INTO "Reporting Ümlaut"."Ünïcødé Tàble"
  (id, "Größe", "naïve text", "Spalte mit Leerzeichen", "日本語", "emoji 🚀", "Betrag €", "Zeitpunkt")
VALUES
  (1, 1.5, 'plain', 'a b c', 'こんにちは', '🚀🛳️⚓', 12.34, '2024-02-29 12:00:00+00'),
  (2, 'NaN', E'tab\there', E'new\nline', '日本語テキスト', '👩‍👩‍👧‍👦', 'NaN', 'infinity'),
  (3, 'Infinity', E'back\\slash', E'carriage\rreturn', '漢字', '🇩🇪🇫🇷', 'Infinity', '-infinity'),
  (4, '-Infinity', '\N', '', '', '', '-Infinity', '1970-01-01 00:00:00+00'),
  (5, -0.0, NULL, NULL, NULL, NULL, NULL, NULL),
  (6, 1e308, 'quote "double" and ''single''', 'semi;colon', 'a,b,c', '|pipe|', 123456789012345678901234567890.123456789, '0001-01-01 00:00:00+00'),
  (7, 5e-324, 'combining: e' || U&'\0301' || ' vs ' || U&'\00E9', 'RTL: עברית العربية', 'ﾊﾝｶｸ', U&'\+01F600', 0.000000000000000001, '2038-01-19 03:14:08+00'),
  (8, 42, repeat('long text ', 2000), 'x', 'y', 'z', 1, '2025-12-31 23:59:59.999999+00'),
  (9, 3.141592653589793, E'\\x00 is not a NUL', 'COPY "\." end marker', E'\\.', E'a\\.b', -1, '1999-12-31 23:59:59+00'),
  (10, 2.718281828459045, 'ÄÖÜäöüß', 'ﬁ ligature', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '🏳️‍🌈', 0, '2000-01-01 00:00:00+00');

INSERT INTO "Reporting Ümlaut"."Sales" (month, revenue)
SELECT date_trunc('month', ordered_at)::date, sum(total_amount)
  FROM sales.orders WHERE status NOT IN ('draft', 'cancelled')
 GROUP BY 1 ORDER BY 1;

INSERT INTO "Reporting Ümlaut".sales (month, channel, revenue)
SELECT date_trunc('month', ordered_at)::date, channel, sum(total_amount)
  FROM sales.orders WHERE status NOT IN ('draft', 'cancelled')
 GROUP BY 1, 2 ORDER BY 1, 2;

INSERT INTO "Reporting Ümlaut"."Quarterly ""Q4"" Summary; --" (quarter, revenue, customers)
SELECT to_char(ordered_at, 'YYYY-"Q"Q'), sum(total_amount), count(DISTINCT customer_id)
  FROM sales.orders WHERE status NOT IN ('draft', 'cancelled')
 GROUP BY 1 ORDER BY 1;

INSERT INTO "Reporting Ümlaut".daily_revenue (day, orders, revenue, currency_code)
SELECT ordered_at::date, count(*), sum(total_amount), 'EUR'
  FROM sales.orders WHERE status NOT IN ('draft', 'cancelled')
 GROUP BY 1 ORDER BY 1;

INSERT INTO "Reporting Ümlaut".report_definitions (name, query, params, owner_id)
SELECT r.name, r.query, r.params::jsonb, pg_temp.user_id(r.n)
  FROM (VALUES (1, 'Umsatz nach Monat', 'SELECT * FROM "Reporting Ümlaut"."Sales"', '{}'),
               (2, 'Top customers', 'SELECT * FROM "Reporting Ümlaut"."Top Customers" ORDER BY rank', '{"limit": 20}'),
               (3, 'Open tickets', 'SELECT count(*) FROM support.tickets WHERE status <> ''closed''', '{}'),
               (4, 'Stock below 10', 'SELECT * FROM inventory.stock WHERE available < $1', '{"threshold": 10}'),
               (5, 'Daily revenue', 'SELECT * FROM "Reporting Ümlaut".daily_revenue', '{"from": "2025-01-01"}'),
               (6, 'Q4 summary', 'SELECT * FROM "Reporting Ümlaut"."Quarterly ""Q4"" Summary; --"', '{}'))
       AS r (n, name, query, params)
 ORDER BY r.n;

INSERT INTO "Reporting Ümlaut".report_runs (report_name, ran_at, duration, row_count)
SELECT d.name, pg_temp.ts(0.9 + k / 1000.0), make_interval(secs => 0.2 + k % 7), 10 * k
  FROM "Reporting Ümlaut".report_definitions d, generate_series(1, 10) AS k
 ORDER BY 1, 2;

INSERT INTO "Reporting Ümlaut"."Top Customers" (rank, customer_id, revenue)
SELECT row_number() OVER (ORDER BY sum(total_amount) DESC, customer_id), customer_id, sum(total_amount)
  FROM sales.orders WHERE status NOT IN ('draft', 'cancelled')
 GROUP BY customer_id
 ORDER BY 1
 LIMIT 20;

REFRESH MATERIALIZED VIEW "Reporting Ümlaut".monthly_sales;

-- ===========================================================================
-- Sequences that are not tied to a column's default
-- ===========================================================================

-- core.legacy_customer_no_seq: a few numbers were handed out before the
-- old system was switched off.
SELECT max(nextval('core.legacy_customer_no_seq')) AS legacy_customer_no FROM generate_series(1, 42) \gset

-- ===========================================================================
-- Statistics: reltuples and relpages must be set, as on a live system.
-- ===========================================================================

ANALYZE;
