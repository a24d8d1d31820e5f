-- Published tables. Applied on every run; each statement is idempotent.

create table if not exists documents (
    doc_id varchar not null,            -- file name without extension
    content_hash varchar primary key,   -- sha-256 of the file's bytes: one row per document version
    source_path varchar not null,
    encoding varchar not null,
    char_count bigint not null,
    byte_count bigint not null,
    run_id varchar not null
);

create table if not exists metrics (
    metric_id varchar primary key,      -- content_hash prefix : start : end
    doc_id varchar not null,
    content_hash varchar not null,
    start_offset bigint not null,
    end_offset bigint not null,
    mention varchar not null,
    value decimal(38, 6) not null,
    unit varchar not null,
    unit_family varchar not null,
    approx varchar,
    kind varchar not null,
    subject varchar,
    subject_simplified varchar,
    sentence_start bigint not null,
    sentence_end bigint not null,
    modifies_metric_id varchar,
    run_id varchar not null
);

create table if not exists rejections (
    run_id varchar not null,
    doc_id varchar not null,
    source_path varchar not null,
    stage varchar not null,
    check_name varchar not null,
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
    documents_rejected bigint not null,
    metrics_loaded bigint not null,
    extractor_version varchar not null
);
