/**
  * -------------------------------------------------------
  * Dog Trainers Directory: search plans
  * -------------------------------------------------------
  * search_businesses filters with "(p_x is null or column = p_x)". PL/pgSQL
  * caches a generic plan after a few calls, and a generic plan cannot know
  * which filters are null, so it gives up the council and name indexes and
  * scans. Planning each call for its actual arguments costs far less than
  * that scan.
 */
alter function public.search_businesses(text, text[], text[], text, text, boolean, text, uuid, integer)
    set plan_cache_mode = force_custom_plan;
