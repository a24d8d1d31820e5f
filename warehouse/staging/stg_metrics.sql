-- grain: one row per metric mention of a document currently in the warehouse
with metrics as (
    select * from metrics
),

documents as (
    select doc_id, content_hash, source_path from documents
),

final as (
    select
        metrics.metric_id,
        metrics.doc_id,
        documents.source_path,
        metrics.mention,
        metrics.value,
        metrics.unit,
        metrics.unit_family,
        metrics.approx,
        metrics.kind,
        coalesce(metrics.subject_simplified, metrics.subject) as subject,
        metrics.start_offset,
        metrics.end_offset
    from metrics
    inner join documents on metrics.content_hash = documents.content_hash
)

select * from final
