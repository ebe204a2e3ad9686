-- Demo data for a first run (local stack: applied once to a fresh database;
-- hosted: `supabase db reset` applies it). People drawn from ../shared/DOMAIN.md.
-- Every demo account's password is: sahakum-demo

-- auth.users columns used here exist on hosted Supabase and in @supabase/lite;
-- the empty-string tokens avoid GoTrue's NULL scan errors on hosted.
insert into auth.users (
  id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, is_sso_user, is_anonymous, created_at, updated_at
)
select id::uuid, 'authenticated', 'authenticated', email,
  extensions.crypt('sahakum-demo', extensions.gen_salt('bf')), now(),
  '', '', '', '',
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', display_name, 'preferred_language', lang),
  false, false, now(), now()
from (values
  ('00000000-0000-4000-a000-000000000001', 'linh@sahakum.test', 'Nguyễn Thị Linh', 'vi'),
  ('00000000-0000-4000-a000-000000000002', 'sokha@sahakum.test', 'Sok Sokha', 'km'),
  ('00000000-0000-4000-a000-000000000003', 'hoa@sahakum.test', 'Trần Thị Hoa', 'vi'),
  ('00000000-0000-4000-a000-000000000004', 'mai@sahakum.test', 'Lê Thị Mai', 'vi'),
  ('00000000-0000-4000-a000-000000000005', 'dara@sahakum.test', 'Chan Dara', 'km'),
  ('00000000-0000-4000-a000-000000000006', 'binh@sahakum.test', 'Phạm Văn Bình', 'vi'),
  ('00000000-0000-4000-a000-000000000007', 'anna@sahakum.test', 'Anna Berg', 'en')
) as people (id, email, display_name, lang);

insert into auth.identities (id, provider, provider_id, user_id, identity_data, last_sign_in_at, created_at, updated_at)
select gen_random_uuid(), 'email', u.id::text, u.id,
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
  now(), now(), now()
from auth.users u where u.email like '%@sahakum.test';

update public.profiles p set organisation = o.organisation
from (values
  ('00000000-0000-4000-a000-000000000001'::uuid, 'CDI — Center for Development and Integration'),
  ('00000000-0000-4000-a000-000000000002'::uuid, 'Live & Learn — Linking and Learning team'),
  ('00000000-0000-4000-a000-000000000003'::uuid, 'Phụ Nữ women''s club, Vĩnh Phúc'),
  ('00000000-0000-4000-a000-000000000004'::uuid, 'Phụ Nữ women''s club, Vĩnh Phúc'),
  ('00000000-0000-4000-a000-000000000005'::uuid, 'CoP-PwD grantee partner'),
  ('00000000-0000-4000-a000-000000000006'::uuid, 'Landlord, Khai Quang ward'),
  ('00000000-0000-4000-a000-000000000007'::uuid, 'Oxfam programme staff')
) as o (id, organisation)
where p.id = o.id;
