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

-- Anna Berg (Oxfam programme staff) is a programme officer: the figures of
-- every space, never their content. She reads the two spaces she is a member
-- of, as any member does, and no other.
insert into public.programme_officers (user_id, added_by) values
  ('00000000-0000-4000-a000-000000000007', '00000000-0000-4000-a000-000000000001');

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

-- Meetings of the Khai Quang club (issue 25): one held three weeks ago, with
-- its agenda, minutes, attendance and a decision, and the next one in ten
-- days, with its agenda and answers. A meeting is a thread: its opening post
-- is the notice members read, marked as an announcement.
insert into public.threads (id, space_id, author_id, title, topic, created_at, last_activity_at) values
  ('20000000-0000-4000-a000-000000000020', '10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003',
   'Họp CLB: an toàn khi đi ca đêm', 'club_life', now() - interval '35 days', now() - interval '21 days'),
  ('20000000-0000-4000-a000-000000000021', '10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003',
   'Họp CLB: quyền lợi khi nghỉ thai sản', 'club_life', now() - interval '1 day', now() - interval '1 day');
insert into public.posts (id, thread_id, author_id, is_opening, body, created_at) values
  ('30000000-0000-4000-a000-000000000020', '20000000-0000-4000-a000-000000000020', '00000000-0000-4000-a000-000000000003', true,
   E'Chị em nhớ đi họp nhé, mình bàn chuyện đi ca đêm về an toàn.\n- Điểm danh, làm quen thành viên mới\n- Đèn đường và giờ đóng cổng\n- Việc tháng tới', now() - interval '35 days'),
  ('30000000-0000-4000-a000-000000000021', '20000000-0000-4000-a000-000000000021', '00000000-0000-4000-a000-000000000003', true,
   E'Buổi họp tới nói về chế độ thai sản. Chị Hương bên BHXH huyện sẽ đến trả lời câu hỏi.\n- Chế độ thai sản: ai được nhận, nhận bao nhiêu\n- Hỏi đáp với cán bộ BHXH\n- Chọn ngày đi khám sức khoẻ chung', now() - interval '1 day');
insert into public.meetings (id, space_id, topic, starts_at, duration_minutes, venue, resource_note, notes, created_by, created_at) values
  ('20000000-0000-4000-a000-000000000020', '10000000-0000-4000-a000-000000000001', 'An toàn khi đi ca đêm',
   date_trunc('day', now()) - interval '21 days' + interval '12 hours 30 minutes', 90, 'Nhà văn hoá khu trọ Khai Quang',
   '', 'Chị em đề nghị đưa chuyện đèn đường vào đối thoại với chủ nhà trọ.', '00000000-0000-4000-a000-000000000003', now() - interval '35 days'),
  ('20000000-0000-4000-a000-000000000021', '10000000-0000-4000-a000-000000000001', 'Quyền lợi khi nghỉ thai sản',
   date_trunc('day', now()) + interval '10 days' + interval '12 hours 30 minutes', 120, 'Nhà văn hoá khu trọ Khai Quang',
   'Cán bộ BHXH huyện Vĩnh Yên', '', '00000000-0000-4000-a000-000000000003', now() - interval '1 day');
insert into public.meeting_agenda_items (meeting_id, position, title, owner_id, minutes) values
  ('20000000-0000-4000-a000-000000000020', 1, 'Điểm danh, làm quen thành viên mới', '00000000-0000-4000-a000-000000000003', '2 chị mới ở dãy C tham gia.'),
  ('20000000-0000-4000-a000-000000000020', 2, 'Đèn đường và giờ đóng cổng', '00000000-0000-4000-a000-000000000004',
   'Đoạn đường từ cổng KCN về khu trọ không có đèn; cổng khoá lúc 22 giờ.'),
  ('20000000-0000-4000-a000-000000000020', 3, 'Việc tháng tới', '00000000-0000-4000-a000-000000000003', ''),
  ('20000000-0000-4000-a000-000000000021', 1, 'Chế độ thai sản: ai được nhận, nhận bao nhiêu', '00000000-0000-4000-a000-000000000003', ''),
  ('20000000-0000-4000-a000-000000000021', 2, 'Hỏi đáp với cán bộ BHXH', null, ''),
  ('20000000-0000-4000-a000-000000000021', 3, 'Chọn ngày đi khám sức khoẻ chung', '00000000-0000-4000-a000-000000000004', '');
insert into public.meeting_attendance (meeting_id, user_id, present, recorded_by) values
  ('20000000-0000-4000-a000-000000000020', '00000000-0000-4000-a000-000000000003', true, '00000000-0000-4000-a000-000000000003'),
  ('20000000-0000-4000-a000-000000000020', '00000000-0000-4000-a000-000000000004', true, '00000000-0000-4000-a000-000000000003'),
  ('20000000-0000-4000-a000-000000000020', '00000000-0000-4000-a000-000000000001', true, '00000000-0000-4000-a000-000000000003');
insert into public.meeting_participants (id, meeting_id, name, people, women, with_disability, recorded_by) values
  ('80000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000020', 'Chị em dãy C', 9, 9, 1, '00000000-0000-4000-a000-000000000003');
insert into public.meeting_decisions (id, meeting_id, text, created_by) values
  ('80000000-0000-4000-a000-000000000002', '20000000-0000-4000-a000-000000000020',
   'Đưa chuyện đèn đường và giờ đóng cổng vào buổi đối thoại với chủ nhà trọ.', '00000000-0000-4000-a000-000000000003');
insert into public.meeting_rsvps (meeting_id, user_id, answer) values
  ('20000000-0000-4000-a000-000000000021', '00000000-0000-4000-a000-000000000004', 'going'),
  ('20000000-0000-4000-a000-000000000021', '00000000-0000-4000-a000-000000000001', 'maybe');
insert into public.announcements (post_id, space_id, thread_id, marked_by, marked_at) values
  ('30000000-0000-4000-a000-000000000020', '10000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000020', '00000000-0000-4000-a000-000000000003', now() - interval '35 days'),
  ('30000000-0000-4000-a000-000000000021', '10000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000021', '00000000-0000-4000-a000-000000000003', now() - interval '1 day');
insert into public.thread_reads (thread_id, user_id, last_read_at) values
  ('20000000-0000-4000-a000-000000000021', '00000000-0000-4000-a000-000000000004', now() - interval '12 hours');

-- demo drafts (written by scripts/generators/seed-drafts.ts)
insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, projection, search_text, budget_currency, budget_total, created_at, last_edit_at) values (
  '70000000-0000-4000-a000-000000000001', '10000000-0000-4000-a000-000000000002', 'proposal', 'សំណើគម្រោង៖ ក្លឹបកម្មករស្ត្រី ឆ្នាំ ២០២៧', 'km', '00000000-0000-4000-a000-000000000002',
  decode('AWXajYHRBgAHAQhzZWN0aW9ucwEoANqNgdEGAAJpZAF3DDk4ZDI0YTI0ZWI2NygA2o2B0QYAB2hlYWRpbmcBdxjhnpThn5Lhnprhnpzhno/hn5Lhno/hnrcnANqNgdEGAARib2R5BAcA2o2B0QYDAwlwYXJhZ3JhcGgHANqNgdEGBAYEANqNgdEGBesC4Z6A4Z6Y4Z+S4Z6Y4Z6A4Z6a4Z6f4Z+S4Z6P4Z+S4Z6a4Z644Z6a4Z+E4Z6E4Z6F4Z6A4Z+S4Z6a4Z6A4Z624Z6P4Z+L4Z6K4Z+B4Z6a4Z6T4Z+F4Z6X4Z+S4Z6T4Z+G4Z6W4Z+B4Z6J4Z6S4Z+S4Z6c4Z6+4Z6A4Z624Z6aIOGfoeGfoCDhnpHhn4Ug4Z+h4Z+iIOGemOGfieGfhOGehOGegOGfkuGek+Geu+GehOGemOGeveGemeGekOGfkuGehOGfgyDhnqDhnr7hnpnhnpjhnrfhnpPhnp/hnrzhnpzhnorhnrnhnoThnpbhnrjhnp/hnrfhnpHhn5LhnpLhnrfhnoDhnrbhnprhnoThnrbhnpog4Z6T4Z634Z6E4Z6a4Z6U4Z6U4Z6f4Z6T4Z+S4Z6P4Z634Z6f4Z674Z6B4Z6f4Z6E4Z+S4Z6C4Z6Y4Z6a4Z6U4Z6f4Z+L4Z6B4Z+S4Z6b4Z694Z6T4Z+Uh9qNgdEGAAEoANqNgdEGgwECaWQBdww5MTZiZTNlOGJhNTgoANqNgdEGgwEHaGVhZGluZwF3FeGeguGfhOGem+GelOGfhuGejuGehCcA2o2B0QaDAQRib2R5BAcA2o2B0QaGAQMJcGFyYWdyYXBoBwDajYHRBocBBgQA2o2B0QaIAesC4Z6U4Z6E4Z+S4Z6A4Z6+4Z6P4Z6A4Z+S4Z6b4Z654Z6U4Z6f4Z+S4Z6P4Z+S4Z6a4Z644Z6F4Z+G4Z6T4Z694Z6TIOGfpiDhnpPhn4Xhno/hn4bhnpThnpPhn4vhnofhnr3hnpvhnpThnpPhn5LhnpHhnpThn4sg4Z6K4Z+C4Z6b4Z6f4Z6Y4Z624Z6H4Z634Z6A4Z6H4Z694Z6U4Z6C4Z+S4Z6T4Z624Z6a4Z+A4Z6E4Z6a4Z624Z6b4Z+LIOGfpCDhnpHhn4Ug4Z+mIOGen+GelOGfkuGeiuGetuGeoOGfjeGemOGfkuGeiuGehCDhnorhnr7hnpjhn5LhnpThnrjhnprhn4DhnpPhnpbhnrjhnp/hnrfhnpHhn5LhnpLhnrcg4Z6T4Z634Z6E4Z6b4Z6+4Z6A4Z6h4Z6+4Z6E4Z6U4Z6J4Z+S4Z6g4Z624Z6a4Z6U4Z6f4Z+L4Z6W4Z694Z6A4Z6C4Z+B4Z+Uh9qNgdEGgwEBKADajYHRBogCAmlkAXcMYzc2OWUxZGUyYzQwKADajYHRBogCB2hlYWRpbmcBdx7hnoDhn5LhnprhnrvhnpjhnoLhn4Thnpvhnorhn4UnANqNgdEGiAIEYm9keQQHANqNgdEGiwIDCXBhcmFncmFwaAcA2o2B0QaMAgYEANqNgdEGjQKwAeGegOGemOGfkuGemOGegOGemuGen+GfkuGej+GfkuGemuGeuOGeheGfhuGejuGetuGegOGen+GfkuGemuGeu+GegOGelOGfkuGemuGemOGetuGejiDhn6nhn6Ag4Z6T4Z624Z6A4Z+LIOGek+Get+GehOGemOGfgeGeiuGeueGegOGek+GetuGfhuGegOGfkuGem+GeueGelCDhn6Hhn6Ig4Z6T4Z624Z6A4Z+L4Z+Uh9qNgdEGiAIBKADajYHRBswCAmlkAXcMYTVlNDc2MzA3YjJjKADajYHRBswCB2hlYWRpbmcBdy3hnp/hnoDhnpjhn5Lhnpjhnpfhnrbhnpbhnp/hn4bhnoHhnrbhnpPhn4vhn5cnANqNgdEGzAIEYm9keQQHANqNgdEGzwIDCXBhcmFncmFwaAcA2o2B0QbQAgYEANqNgdEG0QKdAuGenOGeguGfkuGeguGelOGejuGfkuGeiuGeu+Gfh+GelOGejuGfkuGeiuGetuGem+GemOGfgeGeiuGeueGegOGek+GetuGfhuGegOGfkuGem+GeueGelCDhnoDhnrfhnoXhn5LhnoXhnpThn5Lhnprhnofhnrvhn4bhnoDhn5LhnpvhnrnhnpThnpThn5LhnprhnoXhnrbhn4bhnoHhn4Ig4Z6T4Z634Z6E4Z6A4Z634Z6F4Z+S4Z6F4Z6f4Z6T4Z+S4Z6R4Z6T4Z624Z6H4Z624Z6Y4Z694Z6Z4Z6Y4Z+S4Z6F4Z624Z6f4Z+L4Z6V4Z+S4Z6R4Z+H4Z6H4Z694Z6bIOGek+Get+GehOGen+GeoOGeh+GeuOGeluGflIfajYHRBswCASgA2o2B0QazAwJpZAF3DDY1OTM2N2FjN2I3MigA2o2B0QazAwdoZWFkaW5nAXc94Z6A4Z624Z6a4Z6P4Z624Z6Y4Z6K4Z624Z6TIOGek+Get+GehOGenOGetuGemeGej+GemOGfkuGem+GfgycA2o2B0QazAwRib2R5BAcA2o2B0Qa2AwMJcGFyYWdyYXBoBwDajYHRBrcDBgQA2o2B0Qa4A/sB4Z6A4Z6P4Z+L4Z6P4Z+S4Z6a4Z624Z6c4Z6P4Z+S4Z6P4Z6Y4Z624Z6TIOGek+Get+GehOGen+GfgeGeheGegOGfkuGeiuGeuOGen+GemOGfkuGemuGfgeGeheGek+Gfg+GegOGet+GeheGfkuGeheGelOGfkuGemuGeh+Geu+GfhuGek+GeuOGemOGeveGemeGflyDhnqDhnr7hnpnhno/hnrbhnpjhnorhnrbhnpPhnoDhnrbhnprhnqLhnpPhnrvhnpzhno/hn5Lhno/hnprhn4DhnoThnprhnrbhnpvhn4vhno/hn5Lhnprhnrjhnpjhnrbhnp/hn5QoAQZidWRnZXQIY3VycmVuY3kBdwNLSFInAQZidWRnZXQGZ3JvdXBzAAcA2o2B0QaPBAEoANqNgdEGkAQCaWQBdwxiMjFlN2IyY2I2OTQoANqNgdEGkAQEbmFtZQF3HuGen+Get+GegOGfkuGegeGetuGen+GetuGem+GeticA2o2B0QaQBAVsaW5lcwAHANqNgdEGkwQBKADajYHRBpQEAmlkAXcMNDkzOTcyMjY0ZmU0KADajYHRBpQECGNhdGVnb3J5AXcY4Z6R4Z644Z6A4Z6T4Z+S4Z6b4Z+C4Z6EKADajYHRBpQEC2Rlc2NyaXB0aW9uAXck4Z6H4Z694Z6b4Z6f4Z624Z6b4Z6U4Z+S4Z6a4Z6H4Z674Z+GKADajYHRBpQECHF1YW50aXR5AXcBNigA2o2B0QaUBAR1bml0AXcM4Z6Q4Z+S4Z6E4Z+DKADajYHRBpQECXVuaXRfY29zdAF3BjQwMDAwMIfajYHRBpQEASgA2o2B0QabBAJpZAF3DGY5YzIzMWUxYWY0OSgA2o2B0QabBAhjYXRlZ29yeQF3D+GeouGetuGeoOGetuGemigA2o2B0QabBAtkZXNjcmlwdGlvbgF3IeGeouGetuGeoOGetuGemuGen+GemOGfkuGemuGek+GfiygA2o2B0QabBAhxdWFudGl0eQF3AjkwKADajYHRBpsEBHVuaXQBdwzhnpPhnrbhnoDhn4soANqNgdEGmwQJdW5pdF9jb3N0AXcEODAwMIfajYHRBpAEASgA2o2B0QaiBAJpZAF3DDhlOTE5YTYyYzg3ZigA2o2B0QaiBARuYW1lAXcY4Z6U4Z674Z6C4Z+S4Z6C4Z6b4Z634Z6AJwDajYHRBqIEBWxpbmVzAAcA2o2B0QalBAEoANqNgdEGpgQCaWQBdww5OGQyNGEzYTVhYWMoANqNgdEGpgQIY2F0ZWdvcnkBdxvhnpDhn5Lhnpvhn4Phnojhn5LhnpPhnr3hnpsoANqNgdEGpgQLZGVzY3JpcHRpb24Bdy3hnqLhn5LhnpPhnoDhnp/hnpjhn5LhnprhnpThnp/hnpjhn5Lhnprhnr3hnpsoANqNgdEGpgQIcXVhbnRpdHkBdwIxMigA2o2B0QamBAR1bml0AXcG4Z6B4Z+CKADajYHRBqYECXVuaXRfY29zdAF3BjYwMDAwMIfajYHRBqIEASgA2o2B0QatBAJpZAF3DDhkYmFmMmM2NDcyNigA2o2B0QatBARuYW1lAXck4Z6A4Z624Z6a4Z6S4Z+S4Z6c4Z6+4Z6K4Z+G4Z6O4Z6+4Z6aJwDajYHRBq0EBWxpbmVzAAcA2o2B0QawBAEoANqNgdEGsQQCaWQBdwwyNzUxMWQxOTRiMzAoANqNgdEGsQQIY2F0ZWdvcnkBdxvhnorhnrnhnoDhnofhnonhn5LhnofhnrzhnpMoANqNgdEGsQQLZGVzY3JpcHRpb24Bdz/hnpDhn5Lhnpvhn4PhnpLhn5Lhnpzhnr7hnorhn4bhno7hnr7hnprhnpjhn4HhnorhnrnhnoDhnpPhnrbhn4YoANqNgdEGsQQIcXVhbnRpdHkBdwIyNCgA2o2B0QaxBAR1bml0AXcG4Z6K4Z6EKADajYHRBrEECXVuaXRfY29zdAF3BTIwMDAwBwEKYWN0aXZpdGllcwEoANqNgdEGuAQCaWQBdww2Y2JmYzQzOWVkZTkoANqNgdEGuAQFdGl0bGUBd0vhnpThno7hn5Lhnorhnrvhn4fhnpThno7hn5Lhnorhnrbhnpvhnpjhn4HhnorhnrnhnoDhnpPhnrbhn4bhnoDhn5LhnpvhnrnhnpQoANqNgdEGuAQFc3RhcnQBdwoyMDI3LTAyLTAxKADajYHRBrgEA2VuZAF3CjIwMjctMDItMjgoANqNgdEGuAQLcmVzcG9uc2libGUBdwxMaXZlICYgTGVhcm4oANqNgdEGuAQIbG9jYXRpb24BdxXhnpfhn5LhnpPhn4bhnpbhn4HhnokoANqNgdEGuAQGc3RhdHVzAXcHcGxhbm5lZIfajYHRBrgEASgA2o2B0QbABAJpZAF3DGFmMWU1MGI4YjU1NigA2o2B0QbABAV0aXRsZQF3SOGegOGet+GeheGfkuGeheGelOGfkuGemuGeh+Geu+GfhuGegOGfkuGem+GeueGelOGelOGfkuGemuGeheGetuGfhuGegeGfgigA2o2B0QbABAVzdGFydAF3CjIwMjctMDMtMDEoANqNgdEGwAQDZW5kAXcKMjAyNy0wOC0zMSgA2o2B0QbABAtyZXNwb25zaWJsZQF3J+GemOGfgeGeiuGeueGegOGek+GetuGfhuGegOGfkuGem+GeueGelCgA2o2B0QbABAhsb2NhdGlvbgF3TOGej+GfhuGelOGek+Gfi+Geh+GeveGem+GelOGek+GfkuGekeGelOGfiyDhnpbhn4ThnpLhnrfhn43hnp/hn4LhnpPhnofhn5DhnpkoANqNgdEGwAQGc3RhdHVzAXcHcGxhbm5lZIfajYHRBsAEASgA2o2B0QbIBAJpZAF3DDVmZDZmOWVkMmUwZigA2o2B0QbIBAV0aXRsZQF3V+GegOGet+GeheGfkuGeheGen+Gek+GfkuGekeGek+GetuGeh+GetuGemOGeveGemeGemOGfkuGeheGetuGen+Gfi+GeleGfkuGekeGfh+Geh+GeveGemygA2o2B0QbIBAVzdGFydAF3CjIwMjctMDYtMDEoANqNgdEGyAQDZW5kAXcKMjAyNy0wNi0zMCgA2o2B0QbIBAtyZXNwb25zaWJsZQF3CVNvayBTb2toYSgA2o2B0QbIBAhsb2NhdGlvbgF3IeGen+GetuGem+GetuGen+GehOGfkuGegOGetuGej+GfiygA2o2B0QbIBAZzdGF0dXMBdwdwbGFubmVkAA==', 'base64'),
  '{"sections":[{"id":"98d24a24eb67","heading":"ប្រវត្តិ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"}]}],"text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"},{"id":"916be3e8ba58","heading":"គោលបំណង","content":[{"type":"paragraph","content":[{"type":"text","text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"}]}],"text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"},{"id":"c769e1de2c40","heading":"ក្រុមគោលដៅ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"}]}],"text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"},{"id":"a5e476307b2c","heading":"សកម្មភាពសំខាន់ៗ","content":[{"type":"paragraph","content":[{"type":"text","text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"}]}],"text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"},{"id":"659367ac7b72","heading":"ការតាមដាន និងវាយតម្លៃ","content":[{"type":"paragraph","content":[{"type":"text","text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}]}],"text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}],"budget":{"currency":"KHR","groups":[{"id":"b21e7b2cb694","name":"សិក្ខាសាលា","lines":[{"id":"493972264fe4","category":"ទីកន្លែង","description":"ជួលសាលប្រជុំ","quantity":"6","unit":"ថ្ងៃ","unit_cost":"400000"},{"id":"f9c231e1af49","category":"អាហារ","description":"អាហារសម្រន់","quantity":"90","unit":"នាក់","unit_cost":"8000"}]},{"id":"8e919a62c87f","name":"បុគ្គលិក","lines":[{"id":"98d24a3a5aac","category":"ថ្លៃឈ្នួល","description":"អ្នកសម្របសម្រួល","quantity":"12","unit":"ខែ","unit_cost":"600000"}]},{"id":"8dbaf2c64726","name":"ការធ្វើដំណើរ","lines":[{"id":"27511d194b30","category":"ដឹកជញ្ជូន","description":"ថ្លៃធ្វើដំណើរមេដឹកនាំ","quantity":"24","unit":"ដង","unit_cost":"20000"}]}]},"activities":[{"id":"6cbfc439ede9","title":"បណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប","start":"2027-02-01","end":"2027-02-28","responsible":"Live & Learn","location":"ភ្នំពេញ","status":"planned"},{"id":"af1e50b8b556","title":"កិច្ចប្រជុំក្លឹបប្រចាំខែ","start":"2027-03-01","end":"2027-08-31","responsible":"មេដឹកនាំក្លឹប","location":"តំបន់ជួលបន្ទប់ ពោធិ៍សែនជ័យ","status":"planned"},{"id":"5fd6f9ed2e0f","title":"កិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល","start":"2027-06-01","end":"2027-06-30","responsible":"Sok Sokha","location":"សាលាសង្កាត់","status":"planned"}]}'::jsonb,
  public.draft_projection_text('សំណើគម្រោង៖ ក្លឹបកម្មករស្ត្រី ឆ្នាំ ២០២៧', '{"sections":[{"id":"98d24a24eb67","heading":"ប្រវត្តិ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"}]}],"text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"},{"id":"916be3e8ba58","heading":"គោលបំណង","content":[{"type":"paragraph","content":[{"type":"text","text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"}]}],"text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"},{"id":"c769e1de2c40","heading":"ក្រុមគោលដៅ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"}]}],"text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"},{"id":"a5e476307b2c","heading":"សកម្មភាពសំខាន់ៗ","content":[{"type":"paragraph","content":[{"type":"text","text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"}]}],"text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"},{"id":"659367ac7b72","heading":"ការតាមដាន និងវាយតម្លៃ","content":[{"type":"paragraph","content":[{"type":"text","text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}]}],"text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}],"budget":{"currency":"KHR","groups":[{"id":"b21e7b2cb694","name":"សិក្ខាសាលា","lines":[{"id":"493972264fe4","category":"ទីកន្លែង","description":"ជួលសាលប្រជុំ","quantity":"6","unit":"ថ្ងៃ","unit_cost":"400000"},{"id":"f9c231e1af49","category":"អាហារ","description":"អាហារសម្រន់","quantity":"90","unit":"នាក់","unit_cost":"8000"}]},{"id":"8e919a62c87f","name":"បុគ្គលិក","lines":[{"id":"98d24a3a5aac","category":"ថ្លៃឈ្នួល","description":"អ្នកសម្របសម្រួល","quantity":"12","unit":"ខែ","unit_cost":"600000"}]},{"id":"8dbaf2c64726","name":"ការធ្វើដំណើរ","lines":[{"id":"27511d194b30","category":"ដឹកជញ្ជូន","description":"ថ្លៃធ្វើដំណើរមេដឹកនាំ","quantity":"24","unit":"ដង","unit_cost":"20000"}]}]},"activities":[{"id":"6cbfc439ede9","title":"បណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប","start":"2027-02-01","end":"2027-02-28","responsible":"Live & Learn","location":"ភ្នំពេញ","status":"planned"},{"id":"af1e50b8b556","title":"កិច្ចប្រជុំក្លឹបប្រចាំខែ","start":"2027-03-01","end":"2027-08-31","responsible":"មេដឹកនាំក្លឹប","location":"តំបន់ជួលបន្ទប់ ពោធិ៍សែនជ័យ","status":"planned"},{"id":"5fd6f9ed2e0f","title":"កិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល","start":"2027-06-01","end":"2027-06-30","responsible":"Sok Sokha","location":"សាលាសង្កាត់","status":"planned"}]}'::jsonb),
  '{"sections":[{"id":"98d24a24eb67","heading":"ប្រវត្តិ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"}]}],"text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"},{"id":"916be3e8ba58","heading":"គោលបំណង","content":[{"type":"paragraph","content":[{"type":"text","text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"}]}],"text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"},{"id":"c769e1de2c40","heading":"ក្រុមគោលដៅ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"}]}],"text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"},{"id":"a5e476307b2c","heading":"សកម្មភាពសំខាន់ៗ","content":[{"type":"paragraph","content":[{"type":"text","text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"}]}],"text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"},{"id":"659367ac7b72","heading":"ការតាមដាន និងវាយតម្លៃ","content":[{"type":"paragraph","content":[{"type":"text","text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}]}],"text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}],"budget":{"currency":"KHR","groups":[{"id":"b21e7b2cb694","name":"សិក្ខាសាលា","lines":[{"id":"493972264fe4","category":"ទីកន្លែង","description":"ជួលសាលប្រជុំ","quantity":"6","unit":"ថ្ងៃ","unit_cost":"400000"},{"id":"f9c231e1af49","category":"អាហារ","description":"អាហារសម្រន់","quantity":"90","unit":"នាក់","unit_cost":"8000"}]},{"id":"8e919a62c87f","name":"បុគ្គលិក","lines":[{"id":"98d24a3a5aac","category":"ថ្លៃឈ្នួល","description":"អ្នកសម្របសម្រួល","quantity":"12","unit":"ខែ","unit_cost":"600000"}]},{"id":"8dbaf2c64726","name":"ការធ្វើដំណើរ","lines":[{"id":"27511d194b30","category":"ដឹកជញ្ជូន","description":"ថ្លៃធ្វើដំណើរមេដឹកនាំ","quantity":"24","unit":"ដង","unit_cost":"20000"}]}]},"activities":[{"id":"6cbfc439ede9","title":"បណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប","start":"2027-02-01","end":"2027-02-28","responsible":"Live & Learn","location":"ភ្នំពេញ","status":"planned"},{"id":"af1e50b8b556","title":"កិច្ចប្រជុំក្លឹបប្រចាំខែ","start":"2027-03-01","end":"2027-08-31","responsible":"មេដឹកនាំក្លឹប","location":"តំបន់ជួលបន្ទប់ ពោធិ៍សែនជ័យ","status":"planned"},{"id":"5fd6f9ed2e0f","title":"កិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល","start":"2027-06-01","end":"2027-06-30","responsible":"Sok Sokha","location":"សាលាសង្កាត់","status":"planned"}]}'::jsonb -> 'budget' ->> 'currency', public.draft_budget_total('{"sections":[{"id":"98d24a24eb67","heading":"ប្រវត្តិ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"}]}],"text":"កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។"},{"id":"916be3e8ba58","heading":"គោលបំណង","content":[{"type":"paragraph","content":[{"type":"text","text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"}]}],"text":"បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។"},{"id":"c769e1de2c40","heading":"ក្រុមគោលដៅ","content":[{"type":"paragraph","content":[{"type":"text","text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"}]}],"text":"កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។"},{"id":"a5e476307b2c","heading":"សកម្មភាពសំខាន់ៗ","content":[{"type":"paragraph","content":[{"type":"text","text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"}]}],"text":"វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។"},{"id":"659367ac7b72","heading":"ការតាមដាន និងវាយតម្លៃ","content":[{"type":"paragraph","content":[{"type":"text","text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}]}],"text":"កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។"}],"budget":{"currency":"KHR","groups":[{"id":"b21e7b2cb694","name":"សិក្ខាសាលា","lines":[{"id":"493972264fe4","category":"ទីកន្លែង","description":"ជួលសាលប្រជុំ","quantity":"6","unit":"ថ្ងៃ","unit_cost":"400000"},{"id":"f9c231e1af49","category":"អាហារ","description":"អាហារសម្រន់","quantity":"90","unit":"នាក់","unit_cost":"8000"}]},{"id":"8e919a62c87f","name":"បុគ្គលិក","lines":[{"id":"98d24a3a5aac","category":"ថ្លៃឈ្នួល","description":"អ្នកសម្របសម្រួល","quantity":"12","unit":"ខែ","unit_cost":"600000"}]},{"id":"8dbaf2c64726","name":"ការធ្វើដំណើរ","lines":[{"id":"27511d194b30","category":"ដឹកជញ្ជូន","description":"ថ្លៃធ្វើដំណើរមេដឹកនាំ","quantity":"24","unit":"ដង","unit_cost":"20000"}]}]},"activities":[{"id":"6cbfc439ede9","title":"បណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប","start":"2027-02-01","end":"2027-02-28","responsible":"Live & Learn","location":"ភ្នំពេញ","status":"planned"},{"id":"af1e50b8b556","title":"កិច្ចប្រជុំក្លឹបប្រចាំខែ","start":"2027-03-01","end":"2027-08-31","responsible":"មេដឹកនាំក្លឹប","location":"តំបន់ជួលបន្ទប់ ពោធិ៍សែនជ័យ","status":"planned"},{"id":"5fd6f9ed2e0f","title":"កិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល","start":"2027-06-01","end":"2027-06-30","responsible":"Sok Sokha","location":"សាលាសង្កាត់","status":"planned"}]}'::jsonb),
  now() - interval '3 days', now() - interval '1 day');
insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes) values
  ('70000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000002', 'create', now() - interval '3 days', now() - interval '3 days', 1);
insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, projection, search_text, budget_currency, budget_total, created_at, last_edit_at) values (
  '70000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000001', 'budget', 'Dự toán buổi họp CLB tháng tới', 'vi', '00000000-0000-4000-a000-000000000003',
  decode('ASLX1qPOCQAHAQhzZWN0aW9ucwEoANfWo84JAAJpZAF3DDExZmNhY2MyZjkxOSgA19ajzgkAB2hlYWRpbmcBdwhHaGkgY2jDuicA19ajzgkABGJvZHkEBwDX1qPOCQMDCXBhcmFncmFwaAcA19ajzgkEBgQA19ajzgkFXENoaSBwaMOtIGJ14buVaSBo4buNcCBDTEIgdGjDoW5nIHThu5tpIHThuqFpIG5ow6AgdsSDbiBob8OhIGtodSB0cuG7jSwga2hv4bqjbmcgMjAgY2jhu4sgZW0uKAEGYnVkZ2V0CGN1cnJlbmN5AXcDVk5EJwEGYnVkZ2V0Bmdyb3VwcwAHANfWo84JUAEoANfWo84JUQJpZAF3DGFlMzQ0NmE1OGZiYygA19ajzglRBG5hbWUBdwlI4buNcCBDTEInANfWo84JUQVsaW5lcwAHANfWo84JVAEoANfWo84JVQJpZAF3DDM0MjhkMzUzMGMwYygA19ajzglVCGNhdGVnb3J5AXcOxJDhu4thIMSRaeG7g20oANfWo84JVQtkZXNjcmlwdGlvbgF3FVRodcOqIGjhu5lpIHRyxrDhu51uZygA19ajzglVCHF1YW50aXR5AXcBMSgA19ajzglVBHVuaXQBdwZideG7lWkoANfWo84JVQl1bml0X2Nvc3QBdwYzMDAwMDCH19ajzglVASgA19ajzglcAmlkAXcMMjY4NmU3MmUwMzE1KADX1qPOCVwIY2F0ZWdvcnkBdwrEgm4gdeG7kW5nKADX1qPOCVwLZGVzY3JpcHRpb24Bdw5OxrDhu5tjIHXhu5FuZygA19ajzglcCHF1YW50aXR5AXcCMjAoANfWo84JXAR1bml0AXcEY2hhaSgA19ajzglcCXVuaXRfY29zdAF3BTEwMDAwh9fWo84JXAEoANfWo84JYwJpZAF3DGE3YjlhN2NiMWM3NygA19ajzgljCGNhdGVnb3J5AXcLVMOgaSBsaeG7h3UoANfWo84JYwtkZXNjcmlwdGlvbgF3IEluIHThu50gcsahaSBxdXnhu4FuIGxhbyDEkeG7mW5nKADX1qPOCWMIcXVhbnRpdHkBdwIyMCgA19ajzgljBHVuaXQBdwR04budKADX1qPOCWMJdW5pdF9jb3N0AXcENTAwMAA=', 'base64'),
  '{"sections":[{"id":"11fcacc2f919","heading":"Ghi chú","content":[{"type":"paragraph","content":[{"type":"text","text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}]}],"text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}],"budget":{"currency":"VND","groups":[{"id":"ae3446a58fbc","name":"Họp CLB","lines":[{"id":"3428d3530c0c","category":"Địa điểm","description":"Thuê hội trường","quantity":"1","unit":"buổi","unit_cost":"300000"},{"id":"2686e72e0315","category":"Ăn uống","description":"Nước uống","quantity":"20","unit":"chai","unit_cost":"10000"},{"id":"a7b9a7cb1c77","category":"Tài liệu","description":"In tờ rơi quyền lao động","quantity":"20","unit":"tờ","unit_cost":"5000"}]}]},"activities":[]}'::jsonb,
  public.draft_projection_text('Dự toán buổi họp CLB tháng tới', '{"sections":[{"id":"11fcacc2f919","heading":"Ghi chú","content":[{"type":"paragraph","content":[{"type":"text","text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}]}],"text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}],"budget":{"currency":"VND","groups":[{"id":"ae3446a58fbc","name":"Họp CLB","lines":[{"id":"3428d3530c0c","category":"Địa điểm","description":"Thuê hội trường","quantity":"1","unit":"buổi","unit_cost":"300000"},{"id":"2686e72e0315","category":"Ăn uống","description":"Nước uống","quantity":"20","unit":"chai","unit_cost":"10000"},{"id":"a7b9a7cb1c77","category":"Tài liệu","description":"In tờ rơi quyền lao động","quantity":"20","unit":"tờ","unit_cost":"5000"}]}]},"activities":[]}'::jsonb),
  '{"sections":[{"id":"11fcacc2f919","heading":"Ghi chú","content":[{"type":"paragraph","content":[{"type":"text","text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}]}],"text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}],"budget":{"currency":"VND","groups":[{"id":"ae3446a58fbc","name":"Họp CLB","lines":[{"id":"3428d3530c0c","category":"Địa điểm","description":"Thuê hội trường","quantity":"1","unit":"buổi","unit_cost":"300000"},{"id":"2686e72e0315","category":"Ăn uống","description":"Nước uống","quantity":"20","unit":"chai","unit_cost":"10000"},{"id":"a7b9a7cb1c77","category":"Tài liệu","description":"In tờ rơi quyền lao động","quantity":"20","unit":"tờ","unit_cost":"5000"}]}]},"activities":[]}'::jsonb -> 'budget' ->> 'currency', public.draft_budget_total('{"sections":[{"id":"11fcacc2f919","heading":"Ghi chú","content":[{"type":"paragraph","content":[{"type":"text","text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}]}],"text":"Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em."}],"budget":{"currency":"VND","groups":[{"id":"ae3446a58fbc","name":"Họp CLB","lines":[{"id":"3428d3530c0c","category":"Địa điểm","description":"Thuê hội trường","quantity":"1","unit":"buổi","unit_cost":"300000"},{"id":"2686e72e0315","category":"Ăn uống","description":"Nước uống","quantity":"20","unit":"chai","unit_cost":"10000"},{"id":"a7b9a7cb1c77","category":"Tài liệu","description":"In tờ rơi quyền lao động","quantity":"20","unit":"tờ","unit_cost":"5000"}]}]},"activities":[]}'::jsonb),
  now() - interval '3 days', now() - interval '1 day');
insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes) values
  ('70000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000003', 'create', now() - interval '3 days', now() - interval '3 days', 1);
-- end of demo drafts

-- The demo people have been in the network for months (the new-account limits
-- of the moderation capability are for accounts days old, not for them).
update public.profiles set created_at = now() - interval '120 days'
 where id in (select id from auth.users where email like '%@sahakum.test');
