from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_VIEWER: _ClassVar[Role]
    ROLE_EDITOR: _ClassVar[Role]
    ROLE_REVIEWER: _ClassVar[Role]
    ROLE_ADMIN: _ClassVar[Role]

class CostClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COST_CLASS_UNSPECIFIED: _ClassVar[CostClass]
    COST_CLASS_STANDARD: _ClassVar[CostClass]
    COST_CLASS_EXPENSIVE: _ClassVar[CostClass]
ROLE_UNSPECIFIED: Role
ROLE_VIEWER: Role
ROLE_EDITOR: Role
ROLE_REVIEWER: Role
ROLE_ADMIN: Role
COST_CLASS_UNSPECIFIED: CostClass
COST_CLASS_STANDARD: CostClass
COST_CLASS_EXPENSIVE: CostClass
ACCESS_FIELD_NUMBER: _ClassVar[int]
access: _descriptor.FieldDescriptor

class AccessPolicy(_message.Message):
    __slots__ = ("roles", "cost", "mutates", "public")
    ROLES_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    MUTATES_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedScalarFieldContainer[Role]
    cost: CostClass
    mutates: bool
    public: bool
    def __init__(self, roles: _Optional[_Iterable[_Union[Role, str]]] = ..., cost: _Optional[_Union[CostClass, str]] = ..., mutates: _Optional[bool] = ..., public: _Optional[bool] = ...) -> None: ...
