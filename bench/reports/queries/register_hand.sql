SELECT l.number, l.kind, l.holder, coalesce(le.name, pe.name), l.service, l.status, l.issued_on, l.provider,
       coalesce((SELECT jsonb_agg(jsonb_build_object('position', la.position, 'subtype', la.subtype, 'address', la.address,
                                                     'branch_bin', la.branch_bin::text) ORDER BY la.position)
                   FROM licensing.licence_annex la WHERE la.licence = l.number), '[]'),
       l.supersedes, (SELECT n.number FROM licensing.licence n WHERE n.supersedes = l.number),
       l.status_since, l.status_ground, l.suspended_until
  FROM licensing.licence l
  LEFT JOIN licensing.legal_entity le ON le.bin OPERATOR(licensing.=) CASE WHEN licensing.bin_is_valid(l.holder) THEN l.holder::licensing.bin END
  LEFT JOIN licensing.person pe ON pe.iin OPERATOR(licensing.=) CASE WHEN licensing.iin_is_valid(l.holder) THEN l.holder::licensing.iin END
 WHERE l.provider = 'p7';
