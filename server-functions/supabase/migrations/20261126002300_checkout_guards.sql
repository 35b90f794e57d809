/**
  * Dog Trainers Directory: checkout guards (no open redirect, no slot squatting)
  *
  * featured-checkout passed any https success/cancel URL the caller gave to
  * Stripe, which then sent the buyer there: an open redirect with our name
  * on it. And a business could buy placement after placement, holding every
  * slot of its council (spec 4.5; OWASP API6, unrestricted access to a
  * sensitive business flow). Two settings the function reads:
  *
  * 1. checkout_redirect_origins: the origins success and cancel URLs may
  *    point to (the site's own; SITE_URL's origin is always allowed).
  * 2. placements_per_business: how many active or queued placements one
  *    business may hold at a time (1); checkout refuses another with why.
  */

insert into public.settings (key, value, description)
values ('checkout_redirect_origins', '["https://dogtrainersdirectory.com.au", "https://www.dogtrainersdirectory.com.au"]',
        'Origins a featured checkout may send the buyer back to (success and cancel pages); anything else is refused.'),
       ('placements_per_business', '1', 'Active or queued featured placements one business may hold at a time; checkout refuses another.')
on conflict (key) do nothing;
