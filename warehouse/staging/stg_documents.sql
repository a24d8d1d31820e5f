-- grain: one row per document version in the warehouse, current or missing from the input folder
with documents as (
    select * from documents
),

final as (
    select
        doc_id,
        content_hash,
        source_path,
        title,
        publisher,
        cast(published_at as date) as published_on,
        region,
        region_code,
        status,
        status = 'current' as is_current,
        missing_since_run_id,
        char_count,
        encoding,
        extractor_version,
        run_id
    from documents
)

select * from final
