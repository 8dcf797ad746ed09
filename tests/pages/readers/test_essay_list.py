def test_lists_both_seed_essays_with_visible_comment_counts(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    essays = {e.slug: e.comment_count for e in response.context["essays"]}
    assert essays == {"calling-in": 12, "leftist-empathy-gap": 0}
    assert b"12 comments" in response.content
