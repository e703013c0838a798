"""ir/tree.py: where each operation lands on the client, from its method and path alone."""

from __future__ import annotations

from codegen.ir.tree import Placement, Route, place


def _placed(routes: list[tuple[str, str, str]], overrides: dict[str, str] | None = None, **kw: bool) -> dict[str, str]:
    found = place([Route(op_id, method, path) for op_id, method, path in routes], overrides or {}, **kw)
    return {op_id: ".".join((*p.resource, p.name)) for (op_id, _, _), p in zip(routes, found, strict=True)}


OPENAI_LIKE = [
    ("createChatCompletion", "POST", "/chat/completions"),
    ("listChatCompletions", "GET", "/chat/completions"),
    ("getChatCompletion", "GET", "/chat/completions/{completion_id}"),
    ("updateChatCompletion", "POST", "/chat/completions/{completion_id}"),
    ("deleteChatCompletion", "DELETE", "/chat/completions/{completion_id}"),
    ("getChatCompletionMessages", "GET", "/chat/completions/{completion_id}/messages"),
    ("downloadFile", "GET", "/files/{file_id}/content"),
    ("cancelBatch", "POST", "/batches/{batch_id}/cancel"),
    ("createSpeech", "POST", "/audio/speech"),
    ("addUploadPart", "POST", "/uploads/{upload_id}/parts"),
    ("getVectorStoreFile", "GET", "/vector_stores/{vector_store_id}/files/{file_id}"),
    ("updateVectorStoreFile", "PATCH", "/vector_stores/{vector_store_id}/files/{file_id}"),
    ("fileContent", "GET", "/vector_stores/{vector_store_id}/files/{file_id}/content"),
    ("searchVectorStore", "POST", "/vector_stores/{vector_store_id}/search"),
]


def test_collections_items_and_actions_get_crud_names_and_the_path_gives_the_resources() -> None:
    assert _placed(OPENAI_LIKE) == {
        "createChatCompletion": "chat.completions.create",
        "listChatCompletions": "chat.completions.list",
        "getChatCompletion": "chat.completions.retrieve",
        "updateChatCompletion": "chat.completions.update",
        "deleteChatCompletion": "chat.completions.delete",
        "getChatCompletionMessages": "chat.completions.messages.list",  # a plural after an id: a collection
        "downloadFile": "files.content",  # a singular last segment after an id: an action
        "cancelBatch": "batches.cancel",
        "createSpeech": "audio.speech.create",
        "addUploadPart": "uploads.parts.create",
        "getVectorStoreFile": "vector_stores.files.retrieve",
        "updateVectorStoreFile": "vector_stores.files.update",
        "fileContent": "vector_stores.files.content",
        "searchVectorStore": "vector_stores.search",
    }


def test_a_segment_that_longer_paths_continue_is_a_collection_even_when_singular() -> None:
    routes = [
        ("getStaff", "GET", "/shops/{id}/staff"),
        ("getMember", "GET", "/shops/{id}/staff/{member}"),
        ("getLogo", "GET", "/shops/{id}/logo"),
    ]
    assert _placed(routes) == {
        "getStaff": "shops.staff.list",
        "getMember": "shops.staff.retrieve",
        "getLogo": "shops.logo",
    }


def test_collisions_fall_back_to_the_operation_id_on_the_same_resource_and_nothing_is_dropped() -> None:
    routes = [
        ("replacePet", "PUT", "/pets/{id}"),
        ("patchPet", "PATCH", "/pets/{id}"),  # both want pets.update
        ("listPets", "GET", "/pets"),
        ("root", "GET", "/{anything}"),  # no resource at all
        ("weird", "TRACE", "/pets"),  # no CRUD verb
    ]
    assert _placed(routes) == {
        "replacePet": "pets.replace_pet",
        "patchPet": "pets.patch_pet",
        "listPets": "pets.list",
        "root": "root",
        "weird": "pets.weird",
    }


def test_a_query_in_the_path_key_is_no_segment_and_the_plain_path_keeps_the_name() -> None:
    routes = [("createResponse", "POST", "/responses"), ("beta_createResponse", "POST", "/responses?beta=true")]
    assert _placed(routes) == {
        "createResponse": "responses.create",
        "beta_createResponse": "responses.beta_create_response",
    }


def test_a_method_never_takes_a_child_resource_or_a_client_attribute_name() -> None:
    routes = [
        ("petFiles", "POST", "/pets/{id}/files"),  # pets.files is a resource ...
        ("filesAction", "POST", "/pets/{id}/file"),
        ("listPetFiles", "GET", "/pets/{id}/files"),
        ("getTimeout", "GET", "/timeout"),  # client.timeout is an option
        ("withRaw", "POST", "/pets/{id}/with_raw_response"),
    ]
    placed = _placed(routes)
    assert placed["petFiles"] == "pets.files.create" and placed["listPetFiles"] == "pets.files.list"
    assert placed["filesAction"] == "pets.file"
    assert placed["getTimeout"] == "timeout_.list"
    assert placed["withRaw"] == "pets.with_raw"


def test_leading_segments_every_path_shares_are_dropped() -> None:
    routes = [("listPets", "GET", "/api/v3/pets"), ("getStore", "GET", "/api/v3/store/{id}")]
    assert _placed(routes) == {"listPets": "pets.list", "getStore": "store.retrieve"}


def test_overrides_win_and_a_small_api_keeps_operation_ids_on_the_client() -> None:
    routes = [("createPet", "POST", "/pets"), ("listPets", "GET", "/pets"), ("listTags", "GET", "/tags")]
    assert _placed(routes, {"listTags": "labels.all"}) == {
        "createPet": "pets.create",
        "listPets": "pets.list",
        "listTags": "labels.all",
    }
    flat = _placed(routes, {"listTags": "labels.all"}, tree=False)
    assert flat == {"createPet": "create_pet", "listPets": "list_pets", "listTags": "labels.all"}


def test_a_streaming_operation_reserves_no_second_name() -> None:
    """`stream=True` is an argument of the one method: `create_stream` stays free for another operation."""
    routes = [
        Route("createStory", "POST", "/stories"),
        Route("createStoryStream", "POST", "/stories/{id}/create_stream"),
    ]
    first, second = place(routes, {})
    assert first == Placement(("stories",), "create")
    assert second == Placement(("stories",), "create_stream")


def test_a_singular_leaf_under_a_path_with_operations_is_an_action_under_a_namespace_a_resource() -> None:
    routes = [
        ("createUser", "POST", "/user"),
        ("loginUser", "GET", "/user/login"),
        ("createSpeech", "POST", "/audio/speech"),  # /audio has no operation: speech is a resource
        ("getInventory", "GET", "/store/inventory"),
    ]
    assert _placed(routes) == {
        "createUser": "user.create",
        "loginUser": "user.login",
        "createSpeech": "audio.speech.create",
        "getInventory": "store.inventory.list",
    }
