/**
  * -------------------------------------------------------
  * Dog Trainers Directory: public search
  * -------------------------------------------------------
  * The query behind the `search` edge function: visible businesses only
  * (public.business_is_visible), featured ones first, then by name and id,
  * with keyset pagination so page 50 costs what page 1 costs.
 */

/**
  * -------------------------------------------------------
  * Section - Free-text document
  * -------------------------------------------------------
 */
alter table public.businesses
    add column search_document tsvector
        generated always as (
            to_tsvector('english'::regconfig,
                coalesce(name, '') || ' ' || coalesce(suburb, '') || ' ' || coalesce(description, ''))
        ) stored;

comment on column public.businesses.search_document is
    'Words of name, suburb and description for free-text search (generated; English stemming).';

create index businesses_search_document_idx on public.businesses using gin (search_document);

-- Walks visible businesses in result order (name, id) so a page stops early.
create index businesses_visible_name_idx on public.businesses (name, id)
    where public.business_is_visible(status, deleted, age_specialties, behavior_issues);
create index businesses_visible_council_name_idx on public.businesses (council_id, name, id)
    where public.business_is_visible(status, deleted, age_specialties, behavior_issues);

-- Which businesses are featured right now (a handful per council).
create index featured_placements_business_active_idx on public.featured_placements (business_id)
    where status = 'active';

/**
  * -------------------------------------------------------
  * Section - search_businesses
  * -------------------------------------------------------
  * One page of results after the keyset (p_after_featured, p_after_name,
  * p_after_id); null keyset = first page. Featured rows (an active placement
  * whose period has not ended) come first; the phase flips to the rest when
  * they run out. Security definer so the anon role gets the featured flag
  * without reading placements; it returns public columns of visible rows only.
 */
create or replace function public.search_businesses(
    p_council          text,
    p_age_specialties  text[],
    p_behavior_issues  text[],
    p_service_type     text,
    p_text             text,
    p_after_featured   boolean,
    p_after_name       text,
    p_after_id         uuid,
    p_limit            integer
)
    returns table (
        id              uuid,
        council_id      text,
        name            text,
        suburb          text,
        description     text,
        age_specialties text[],
        behavior_issues text[],
        service_types   text[],
        phone           text,
        email           text,
        website         text,
        featured        boolean
    )
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
declare
    v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 50);
    v_query tsquery := case when nullif(btrim(p_text), '') is null then null
                            else websearch_to_tsquery('english'::regconfig, p_text) end;
    v_found integer := 0;
begin
    -- Phase 1: featured businesses, unless the keyset is already past them.
    if p_after_featured is null or p_after_featured then
        return query
            select b.id, b.council_id, b.name, b.suburb, b.description, b.age_specialties,
                   b.behavior_issues, b.service_types, b.phone, b.email, b.website, true
            from public.businesses b
            where public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)
              and exists (select 1 from public.featured_placements fp
                          where fp.business_id = b.id and fp.status = 'active' and fp.featured_until > now())
              and (p_council is null or b.council_id = p_council)
              and (p_age_specialties is null or b.age_specialties @> p_age_specialties)
              and (p_behavior_issues is null or b.behavior_issues @> p_behavior_issues)
              and (p_service_type is null or b.service_types @> array[p_service_type])
              and (v_query is null or b.search_document @@ v_query)
              and (p_after_featured is null or (b.name, b.id) > (p_after_name, p_after_id))
            order by b.name, b.id
            limit v_limit;
        get diagnostics v_found = row_count;
        if v_found >= v_limit then
            return;
        end if;
    end if;

    -- Phase 2: everyone else, after the keyset when it is in this phase.
    return query
        select b.id, b.council_id, b.name, b.suburb, b.description, b.age_specialties,
               b.behavior_issues, b.service_types, b.phone, b.email, b.website, false
        from public.businesses b
        where public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)
          and not exists (select 1 from public.featured_placements fp
                          where fp.business_id = b.id and fp.status = 'active' and fp.featured_until > now())
          and (p_council is null or b.council_id = p_council)
          and (p_age_specialties is null or b.age_specialties @> p_age_specialties)
          and (p_behavior_issues is null or b.behavior_issues @> p_behavior_issues)
          and (p_service_type is null or b.service_types @> array[p_service_type])
          and (v_query is null or b.search_document @@ v_query)
          and (p_after_featured is distinct from false or (b.name, b.id) > (p_after_name, p_after_id))
        order by b.name, b.id
        limit v_limit - v_found;
end
$$;

comment on function public.search_businesses(text, text[], text[], text, text, boolean, text, uuid, integer) is
    'One page of public search results: visible businesses, featured first, then by name and id, after the given keyset.';

revoke all on function public.search_businesses(text, text[], text[], text, text, boolean, text, uuid, integer)
    from public, anon, authenticated, service_role;
grant execute on function public.search_businesses(text, text[], text[], text, text, boolean, text, uuid, integer)
    to anon, authenticated, service_role;
