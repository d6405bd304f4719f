from worker.identity import bot_user_id


def test_the_bots_user_is_asked_of_the_portal_once_per_key(redis, api):
    assert bot_user_id(redis, "vibe_api_one", api) == 1
    assert bot_user_id(redis, "vibe_api_one", api) == 1
    assert api.count("user_id") == 1
    bot_user_id(redis, "vibe_api_two", api)  # a new key may act as another user
    assert api.count("user_id") == 2
    assert not any(b"vibe_api" in key for key in redis.scan_iter())  # the key itself is never stored
