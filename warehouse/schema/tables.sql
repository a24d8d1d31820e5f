-- Published tables. Applied on every run; each statement is idempotent. Comments live in warehouse/comments.toml.

create table if not exists documents (
    doc_id varchar not null,
    content_hash varchar primary key,
    source_path varchar not null,
    encoding varchar not null,
    media_type varchar,
    char_count bigint not null,
    byte_count bigint not null,
    text varchar not null,
    title varchar,
    title_source varchar,
    publisher varchar,
    publisher_source varchar,
    published_at timestamp,
    published_at_source varchar,
    region varchar,
    region_code varchar,
    region_source varchar,
    extractor_version varchar not null,
    catalog_version varchar not null,
    status varchar not null,
    missing_since_run_id varchar,
    run_id varchar not null
);

create table if not exists metrics (
    metric_id varchar primary key,
    doc_id varchar not null,
    content_hash varchar not null,
    start_offset bigint not null,
    end_offset bigint not null,
    mention varchar not null,
    value decimal(38, 6) not null,
    value_high decimal(38, 6),
    unit varchar not null,
    unit_family varchar not null,
    approx varchar,
    kind varchar not null,
    subject varchar,
    subject_simplified varchar,
    sentence_start bigint not null,
    sentence_end bigint not null,
    modifies_metric_id varchar,
    indicator_code varchar,
    context varchar,
    org varchar,
    org_kind varchar,
    region varchar,
    region_code varchar,
    period_start date,
    period_end date,
    as_of date,
    page_number integer,
    block_kind varchar,
    table_index integer,
    table_row integer,
    table_column integer,
    row_label varchar,
    column_heading varchar,
    heading_period varchar,
    run_id varchar not null
);

create table if not exists metric_links (
    metric_id varchar not null,
    related_metric_id varchar not null,
    relation varchar not null,
    content_hash varchar not null,
    run_id varchar not null,
    primary key (metric_id, related_metric_id, relation)
);

create table if not exists indicators (
    indicator_code varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    unit_family varchar not null,
    kinds varchar not null,
    subjects varchar not null,
    formulas varchar,
    catalog_version varchar not null
);

create table if not exists rejections (
    rejection_id varchar primary key,
    run_id varchar not null,
    doc_id varchar not null,
    source_path varchar not null,
    content_hash varchar,
    stage varchar not null,
    check_name varchar not null,
    column_name varchar,
    row_key varchar,
    reason varchar not null,
    offending_value varchar
);

create table if not exists runs (
    run_id varchar primary key,
    flow_run_id varchar,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,
    documents_read bigint not null,
    documents_new bigint not null,
    documents_changed bigint not null,
    documents_reextracted bigint not null,
    documents_unchanged bigint not null,
    documents_missing bigint not null,
    documents_rejected bigint not null,
    metrics_loaded bigint not null,
    metrics_total bigint not null,
    rows_rejected bigint not null,
    failure_share double not null,
    max_failure_share double not null,
    extractor_version varchar not null,
    catalog_version varchar not null
);
