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

-- Two members also sign in with their phone number (a code by SMS; locally the
-- stack's /sms inbox): Mai +84 912 345 678 and Dara +855 12 345 678. Stored as
-- Supabase Auth stores numbers (E.164 digits, no "+").
update auth.users u set phone = p.phone, phone_confirmed_at = now(), phone_change = '', phone_change_token = '',
  raw_app_meta_data = '{"provider":"email","providers":["email","phone"]}'::jsonb
from (values
  ('00000000-0000-4000-a000-000000000004'::uuid, '84912345678'),
  ('00000000-0000-4000-a000-000000000005'::uuid, '85512345678')
) as p (id, phone)
where u.id = p.id;

insert into auth.identities (id, provider, provider_id, user_id, identity_data, last_sign_in_at, created_at, updated_at)
select gen_random_uuid(), 'phone', u.id::text, u.id,
  jsonb_build_object('sub', u.id::text, 'phone', u.phone, 'phone_verified', true, 'email_verified', false),
  now(), now(), now()
from auth.users u where u.email like '%@sahakum.test' and u.phone is not null;

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

-- Spaces: creating one makes its creator the first facilitator (trigger).
insert into public.spaces (id, kind, name, objective, description, primary_language, colour, icon, created_by) values
  ('10000000-0000-4000-a000-000000000001', 'club', 'CLB Phụ nữ Khai Quang — Vĩnh Phúc',
   'Nữ công nhân nhập cư cùng học về quyền lao động, sức khoẻ và an sinh xã hội.',
   'Họp 4–6 tuần một lần, tối Chủ nhật, tại nhà văn hoá khu trọ. Khoảng 15 thành viên.', 'vi', 'rose', 'home',
   '00000000-0000-4000-a000-000000000001'),
  ('10000000-0000-4000-a000-000000000002', 'cop', 'CoP-Women',
   'សហគមន៍អ្នកអនុវត្តសម្រាប់ដៃគូដែលធ្វើការលើសិទ្ធិស្ត្រី។',
   'Grantee partners working on women''s rights share practice, co-draft proposals and learn from other CoPs.', 'km', 'indigo', 'people',
   '00000000-0000-4000-a000-000000000002'),
  ('10000000-0000-4000-a000-000000000003', 'cop', 'CoP-PwD',
   'សហគមន៍អ្នកអនុវត្តសម្រាប់ជនមានពិការភាព។',
   'Partners working with people with disabilities: accessibility, social protection, inclusive livelihoods.', 'km', 'teal', 'heart',
   '00000000-0000-4000-a000-000000000002');

insert into public.space_members (space_id, user_id, role) values
  ('10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003', 'leader'),
  ('10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000004', 'member'),
  ('10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000007', 'member'),
  ('10000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000005', 'member'),
  ('10000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000007', 'member'),
  ('10000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000001', 'member'),
  ('10000000-0000-4000-a000-000000000003', '00000000-0000-4000-a000-000000000005', 'leader');

-- A code people can type from a paper note (valid 90 days from seeding).
insert into public.space_invites (space_id, code, role, expires_at, created_by) values
  ('10000000-0000-4000-a000-000000000001', 'KHAQUANG', 'member', now() + interval '90 days', '00000000-0000-4000-a000-000000000001');

insert into public.threads (id, space_id, author_id, title, topic, pinned) values
  ('20000000-0000-4000-a000-000000000001', '10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003',
   'Họp tháng 12: quyền lợi bảo hiểm xã hội', 'social_protection', true),
  ('20000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000004',
   'Hỏi: làm thêm giờ quá 40 giờ một tháng có đúng luật không?', 'labour_law', false),
  ('20000000-0000-4000-a000-000000000003', '10000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000002',
   'ការរៀបចំសំណើគម្រោង និងថវិកា ឆ្នាំ ២០២៧', 'proposals', false);

insert into public.posts (id, thread_id, author_id, is_opening, body, created_at) values
  ('30000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003', true,
   E'Chào các chị em,\n\nBuổi họp tháng 12 vào **tối Chủ nhật 14/12, 19:30** tại nhà văn hoá khu trọ.\n- Chủ đề: quyền lợi bảo hiểm xã hội khi nghỉ việc\n- Khách mời: cán bộ BHXH huyện\n- Mang theo sổ BHXH nếu có\n\nAi có câu hỏi thì viết vào đây trước nhé.', now() - interval '3 days'),
  ('30000000-0000-4000-a000-000000000002', '20000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000004', false,
   'Em đã đóng BHXH được 2 năm, nếu nghỉ việc thì có được nhận một lần không ạ?', now() - interval '2 days'),
  ('30000000-0000-4000-a000-000000000003', '20000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000001', false,
   E'@Lê Thị Mai câu hỏi rất hay, mình sẽ nhờ cán bộ BHXH trả lời trong buổi họp. Tài liệu tham khảo: https://baohiemxahoi.gov.vn', now() - interval '1 day'),
  ('30000000-0000-4000-a000-000000000004', '20000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000004', true,
   'Xưởng em tháng này bắt làm thêm gần 60 giờ. Như vậy có đúng luật không, và em nên hỏi ai?', now() - interval '5 hours'),
  ('30000000-0000-4000-a000-000000000005', '20000000-0000-4000-a000-000000000003', '00000000-0000-4000-a000-000000000002', true,
   E'សូមស្វាគមន៍! យើងនឹងរៀបចំសំណើគម្រោងរួមគ្នា។\n- ផែនការសកម្មភាព\n- ថវិកា (USD និង KHR)\n- កាលបរិច្ឆេទផុតកំណត់៖ ៣១ មករា', now() - interval '4 days'),
  ('30000000-0000-4000-a000-000000000006', '20000000-0000-4000-a000-000000000003', '00000000-0000-4000-a000-000000000005', false,
   'ខ្ញុំអាចជួយផ្នែកថវិកាបាន។', now() - interval '2 days');

insert into public.reactions (post_id, user_id, kind) values
  ('30000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000004', 'thanks'),
  ('30000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000007', 'like');

-- The Linking & Learning team curates the network-wide shared library.
insert into public.library_curators (user_id, added_by) values
  ('00000000-0000-4000-a000-000000000001', null),
  ('00000000-0000-4000-a000-000000000002', null);

-- A few links in the libraries, so the demo does not open on empty shelves.
-- (Files need Storage, so the demo data has links only; uploading is one tap.)
insert into public.library_resources (id, space_id, title, description, topic, languages, collection, url, featured, created_by) values
  ('50000000-0000-4000-a000-000000000001', null, 'Cơ sở dữ liệu quốc gia về văn bản pháp luật',
   'Tra cứu toàn văn Bộ luật Lao động, Luật Bảo hiểm xã hội và các nghị định hướng dẫn.',
   'labour_law', '{vi}', 'Luật & chính sách', 'https://vbpl.vn/', true, '00000000-0000-4000-a000-000000000001'),
  ('50000000-0000-4000-a000-000000000002', null, 'បេឡាជាតិរបបសន្តិសុខសង្គម (ប.ស.ស.)',
   'ព័ត៌មានអំពីការធានារ៉ាប់រងសុខភាព និងហានិភ័យការងារ សម្រាប់កម្មករ។',
   'social_protection', '{km}', 'គោលនយោបាយ', 'https://www.nssf.gov.kh/', false, '00000000-0000-4000-a000-000000000002'),
  ('50000000-0000-4000-a000-000000000003', null, 'International Labour Organization: labour standards',
   'Conventions on working time, wages, maternity protection and freedom of association, in plain English.',
   'labour_law', '{en}', 'Law & policy', 'https://www.ilo.org/', false, '00000000-0000-4000-a000-000000000002'),
  ('50000000-0000-4000-a000-000000000004', '10000000-0000-4000-a000-000000000001', 'Tra cứu quá trình đóng bảo hiểm xã hội',
   'Cổng Dịch vụ công quốc gia: nhập mã số BHXH để xem công ty đã đóng cho mình bao nhiêu tháng.',
   'social_protection', '{vi}', '', 'https://dichvucong.gov.vn/', false, '00000000-0000-4000-a000-000000000003');

insert into public.library_attachments (resource_id, thread_id, attached_by) values
  ('50000000-0000-4000-a000-000000000004', '20000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003');

-- A dialogue of the Khai Quang club with the landlords (Hoa, the club's
-- leader, convenes it). Phạm Văn Bình joins as a guest (landlord): he sees
-- this dialogue only, not the club's discussions, members or library.
-- A member raised an issue "as a member of" the club: no author on the post,
-- the author kept for the club's facilitators only.
insert into public.threads (id, space_id, author_id, title, topic, is_dialogue, last_activity_at) values
  ('20000000-0000-4000-a000-000000000010', '10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003',
   'Đối thoại với chủ nhà trọ phường Khai Quang', 'other', true, now() - interval '3 hours');
insert into public.dialogues (id, space_id, purpose, meeting_at, venue, language, status, convened_by) values
  ('20000000-0000-4000-a000-000000000010', '10000000-0000-4000-a000-000000000001',
   'Cùng chủ nhà trọ tìm cách giải quyết giá điện nước và giờ đóng cổng, để chị em đi ca đêm về an toàn.',
   date_trunc('day', now()) + interval '9 days 19 hours 30 minutes' - interval '7 hours',
   'Nhà văn hoá khu trọ Khai Quang', 'vi', 'open', '00000000-0000-4000-a000-000000000003');
insert into public.dialogue_agenda_items (dialogue_id, position, text) values
  ('20000000-0000-4000-a000-000000000010', 1, 'Giá điện 4.000 đ/kWh, cao hơn giá nhà nước'),
  ('20000000-0000-4000-a000-000000000010', 2, 'Cổng khu trọ khoá lúc 22 giờ, ca đêm về không vào được');
insert into public.dialogue_guests (dialogue_id, user_id, stakeholder_type, organisation, position) values
  ('20000000-0000-4000-a000-000000000010', '00000000-0000-4000-a000-000000000006', 'landlord', 'Nhà trọ Bình An', 'Chủ nhà');
insert into public.dialogue_invites (dialogue_id, code, expires_at, created_by) values
  ('20000000-0000-4000-a000-000000000010', 'NHATRA26', now() + interval '30 days', '00000000-0000-4000-a000-000000000003');
insert into public.posts (id, thread_id, author_id, is_opening, body, anonymous, outcome, created_at) values
  ('30000000-0000-4000-a000-000000000010', '20000000-0000-4000-a000-000000000010', '00000000-0000-4000-a000-000000000003', true,
   'Cùng chủ nhà trọ tìm cách giải quyết giá điện nước và giờ đóng cổng, để chị em đi ca đêm về an toàn.', false, null, now() - interval '2 days'),
  ('30000000-0000-4000-a000-000000000011', '20000000-0000-4000-a000-000000000010', null, false,
   'Tháng trước em tan ca lúc 22 giờ 30, cổng đã khoá, phải đứng ngoài đường gần một tiếng.', true, 'issue', now() - interval '1 day'),
  ('30000000-0000-4000-a000-000000000012', '20000000-0000-4000-a000-000000000010', '00000000-0000-4000-a000-000000000006', false,
   'Tôi có thể để cổng mở đến 23 giờ và đưa chìa khoá phụ cho trưởng nhóm.', false, 'commitment', now() - interval '3 hours');
insert into public.dialogue_hidden_authors (post_id, dialogue_id, author_id) values
  ('30000000-0000-4000-a000-000000000011', '20000000-0000-4000-a000-000000000010', '00000000-0000-4000-a000-000000000004');
insert into public.dialogue_actions (id, dialogue_id, space_id, source_post_id, description, owner_kind, owner_user_id, due_on, status, created_by, created_at) values
  ('60000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000010', '10000000-0000-4000-a000-000000000001',
   '30000000-0000-4000-a000-000000000012', 'Mở cổng khu trọ đến 23 giờ và giao chìa khoá phụ cho trưởng nhóm', 'guest',
   '00000000-0000-4000-a000-000000000006', current_date + 14, 'agreed', '00000000-0000-4000-a000-000000000003', now() - interval '2 hours'),
  ('60000000-0000-4000-a000-000000000002', '20000000-0000-4000-a000-000000000010', '10000000-0000-4000-a000-000000000001',
   null, 'Hỏi Điện lực Vĩnh Phúc về giá điện cho người thuê trọ', 'club',
   null, current_date - 3, 'in_progress', '00000000-0000-4000-a000-000000000003', now() - interval '20 days');
